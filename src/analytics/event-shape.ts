import { MAX_ERROR_MESSAGE, MAX_ERROR_STACK, MAX_PROP_STRING, MAX_PROPS, type AnalyticsProps } from '../../protocol/analytics';

/**
 * Makes what callers pass fit the contract before it is queued, so one careless `track` call never
 * makes a whole batch unacceptable: props keep the first 20 usable keys (strings cut to 200
 * characters, finite numbers, booleans; anything else is left out), errors their message and stack
 * cut to size.
 */

const PROP_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export function cleanProps(props: Record<string, unknown>): AnalyticsProps {
  const cleaned: AnalyticsProps = {};
  let count = 0;
  for (const [key, value] of Object.entries(props)) {
    if (count === MAX_PROPS) break;
    if (!PROP_KEY.test(key)) continue;
    if (typeof value === 'string') cleaned[key] = value.slice(0, MAX_PROP_STRING);
    else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) cleaned[key] = value;
    else continue;
    count++;
  }
  return cleaned;
}

export function describeError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) {
    const message = `${error.name}: ${error.message}`.slice(0, MAX_ERROR_MESSAGE);
    return error.stack ? { message, stack: error.stack.slice(0, MAX_ERROR_STACK) } : { message };
  }
  let message: string;
  try {
    message = typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  } catch {
    message = String(error);
  }
  return { message: message.slice(0, MAX_ERROR_MESSAGE) };
}
