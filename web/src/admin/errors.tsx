// How the console shows a failed operation: the server's message with a plain-language heading
// chosen by extensions.code, never a raw error object. Errors that name an input field
// (extensions.field) are shown next to that field instead, through fieldErrors.
import type { CombinedError } from 'urql';

const headings: Record<string, string> = {
  UNAUTHENTICATED: 'Please sign in again',
  FORBIDDEN: 'Not allowed',
  BAD_USER_INPUT: 'Check the input',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  RATE_LIMITED: 'Too many requests',
  QUOTA_EXCEEDED: 'Quota exceeded',
  SERVICE_UNAVAILABLE: 'Service unavailable, try again shortly',
  INTERNAL_SERVER_ERROR: 'The server failed',
};

export type Problem = { code: string; heading: string; message: string; field?: string };

/** problems turns an operation's error into one line per GraphQL error (or the network failure). */
export function problems(error: CombinedError | undefined): Problem[] {
  if (!error) return [];
  if (error.networkError && error.graphQLErrors.length === 0) {
    return [{ code: 'NETWORK', heading: 'Cannot reach the server', message: 'Check the connection and try again.' }];
  }
  return error.graphQLErrors.map((e) => {
    const ext = (e.extensions ?? {}) as Record<string, unknown>;
    const code = typeof ext.code === 'string' ? ext.code : 'INTERNAL_SERVER_ERROR';
    let message = e.message;
    if (code === 'INTERNAL_SERVER_ERROR') {
      message = typeof ext.requestId === 'string' ? `Request id ${ext.requestId} (give it to the operator).` : '';
    }
    if (code === 'RATE_LIMITED' && typeof ext.retryAfter === 'number') {
      message = `${message} Retry in ${ext.retryAfter} s.`;
    }
    const field = typeof ext.field === 'string' ? ext.field : undefined;
    return { code, heading: headings[code] ?? code, message, field };
  });
}

/** fieldErrors maps input field names (extensions.field, last path segment) to their messages. */
export function fieldErrors(error: CombinedError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems(error)) {
    if (!p.field) continue;
    const name = p.field.split('.').pop() ?? p.field;
    out[name] = stripFieldName(p.message, p.field);
  }
  return out;
}

/**
 * stripFieldName drops the "field: " a server message starts with ("openai.0.url: must be ..."
 * or, for a value the schema refused, the field's last name), which the label already shows.
 */
export function stripFieldName(message: string, field: string): string {
  const last = field.split('.').pop() ?? field;
  for (const prefix of [field, last]) {
    if (message.startsWith(`${prefix}: `)) return message.slice(prefix.length + 2);
  }
  return message;
}

/**
 * ErrorMessage shows the problems not tied to a field shown elsewhere: fields lists the shown
 * fields by last name, or by whole path (after dropping argPrefix) when byPath is set.
 */
export function ErrorMessage({ error, fields = [], byPath = false, argPrefix = '' }: { error?: CombinedError; fields?: string[]; byPath?: boolean; argPrefix?: string }) {
  const key = (field: string) => {
    if (!byPath) return field.split('.').pop() ?? '';
    return argPrefix && field.startsWith(`${argPrefix}.`) ? field.slice(argPrefix.length + 1) : field;
  };
  const list = problems(error).filter((p) => !p.field || !fields.includes(key(p.field)));
  if (list.length === 0) return null;
  return (
    <div className="alert" role="alert">
      {list.map((p, i) => (
        <p key={i}>
          <strong>{p.heading}.</strong> {p.message}
        </p>
      ))}
    </div>
  );
}

/** FieldError is the message under an input; the input points at it with aria-describedby. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  );
}
