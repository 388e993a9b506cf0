// The runtime form of an AWS API model, as scripts/gen-models.ts writes it.

export interface MemberRef {
  shape: string;
  /** rest-json only: where the member travels (uri, querystring, header). */
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'document' | 'double' | 'float';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  exception?: boolean;
  fault?: boolean;
  httpStatus?: number;
}

export interface OperationModel {
  http: { method: string; requestUri: string; responseCode?: number };
  input?: string;
  output?: string;
  errors: string[];
  auth: 'none' | 'sigv4';
  /** Known from the SDK only; member types are not in the model yet. */
  newer?: boolean;
}

export interface ServiceModel {
  metadata: { protocol: string; targetPrefix?: string; signingName: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}
