// Types for order-status-backend.mjs, so TypeScript tests can start it.
import type { IncomingHttpHeaders } from 'node:http';

export declare const DEFAULT_ORDER_BACKEND_PORT: number;

export interface SampleOrder {
  id: string;
  status: 'delivered' | 'in_transit' | 'cancelled';
  item: string;
  delivered_at: string | null;
  eta: string | null;
}

export declare const SAMPLE_ORDERS: Record<string, SampleOrder>;

export interface RecordedRequest {
  method: string | undefined;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface OrderStatusBackend {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** The first request to `path`, once it has come. */
  requestTo(path: string): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export declare function startOrderStatusBackend(options?: { port?: number; host?: string }): Promise<OrderStatusBackend>;
