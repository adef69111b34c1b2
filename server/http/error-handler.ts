import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from './app-error';

/**
 * The one place errors become HTTP responses. Client mistakes keep their 4xx and a clear code;
 * anything unexpected is logged in full and answered with a bare 500, never a stack or SQL.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = error instanceof AppError ? error : fromFrameworkError(error);
    if (appError.code === 'internal') {
      request.log.error({ err: error }, 'unhandled error');
    }
    void reply.status(appError.status).headers(appError.headers).send(appError.toBody());
  });
}

function fromFrameworkError(error: FastifyError): AppError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send JSON with Content-Type: application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'Request body is empty but Content-Type is JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('invalid_input', 'Content-Length does not match the body');
    default:
      break;
  }
  // JSON.parse failures surface as a SyntaxError with status 400.
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new AppError('invalid_json', 'Request body is not valid JSON');
  }
  if (error.statusCode === 413) return new AppError('payload_too_large', 'Request body is too large');
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('invalid_input', 'Request could not be understood');
  }
  return new AppError('internal', 'Something went wrong on our side');
}
