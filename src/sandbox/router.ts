// A route table that tells "no such path" (404) from "path exists, wrong method" (405).
import type { HttpResult } from './httpKit.js';

export interface ApiRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body for routes that take one; undefined otherwise. */
  body: unknown;
}

export type Handler = (request: ApiRequest) => Promise<HttpResult> | HttpResult;

export interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  /** 'optional': a body may come (parsed when it does); Sarufi's clients send none there. */
  takesBody: boolean | 'optional';
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

export class Router {
  private readonly routes: Route[] = [];

  /** `pattern` like `/chatbots/:chatbotId/flows`; `takesBody` routes get their JSON parsed. */
  add(method: string, pattern: string, handler: Handler, takesBody: boolean | 'optional' = false): void {
    this.routes.push({ method, segments: split(pattern), handler, takesBody });
  }

  match(method: string, path: string): RouteMatch {
    const segments = split(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) {
        continue;
      }
      if (route.method === method) {
        return { kind: 'found', route, params };
      }
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) {
    return null;
  }
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}
