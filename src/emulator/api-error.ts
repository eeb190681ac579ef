/**
 * An error the emulated provider answers with. `field` makes it a field error, which the
 * 'drf' error style renders as `{field: [detail]}` instead of the documented
 * `{detail, error_code, field}`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly field: string | undefined;
  readonly extra: Record<string, unknown>;

  constructor(status: number, errorCode: string, detail: string, opts: { field?: string; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.field = opts.field;
    this.extra = opts.extra ?? {};
  }
}

export function invalid(field: string, detail: string, errorCode = 'validation_error'): ApiError {
  return new ApiError(400, errorCode, detail, { field });
}

export function notFound(detail: string): ApiError {
  return new ApiError(404, 'not_found', detail);
}

export function renderError(err: ApiError, style: 'documented' | 'drf'): Record<string, unknown> {
  if (style === 'drf' && err.status === 400) {
    // DRF serializers report field errors keyed by field, each a list of messages;
    // request-level errors (a parse error) keep the bare {detail}.
    if (err.field) return { [err.field]: [err.message] };
    return err.errorCode === 'parse_error' ? { detail: err.message } : { non_field_errors: [err.message] };
  }
  return { detail: err.message, error_code: err.errorCode, ...(err.field ? { field: err.field } : {}), ...err.extra };
}
