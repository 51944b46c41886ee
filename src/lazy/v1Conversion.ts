// The v1 flow converter's bundle (dist/v1Conversion.js), loaded by Sarufi: Convert v1 Flow on first
// use: only recognising a v1 file (flow/v1Format.ts's recogniseV1Flow) runs at every edit.
export { convertV1Bot } from '../flows/convertV1Files.js';
export { V1ConversionError } from '../flow/v1Convert.js';
