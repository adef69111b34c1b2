// autocannon ships no types and @types/autocannon is not a dependency: the part bench/http uses.
declare module 'autocannon' {
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }

  export interface AutocannonOptions {
    url: string;
    connections: number;
    /** Seconds. */
    duration: number;
    method?: string;
    headers?: Record<string, string>;
    requests?: (AutocannonRequest & {
      /** Called before each request is sent; returns the request to send. */
      setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest;
      onResponse?: (status: number, body: string, context: object) => void;
    })[];
  }

  export interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }

  export interface AutocannonResult {
    /** Requests per second, sampled once a second. */
    requests: Histogram & { total: number; sent: number };
    /** Milliseconds. */
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
