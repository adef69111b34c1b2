/**
 * The names of the events the dashboard's funnel reads (sign-up → first join → first message),
 * without zod: the screens that track them import this file, not the schemas.
 */
export const FUNNEL_EVENTS = {
  signUp: 'account.signup',
  join: 'activity.join',
  message: 'message.send',
} as const;

/** The name every screen view and every error event carries (their kind says which). */
export const SCREEN_EVENT = 'screen';
export const ERROR_EVENT = 'error';

/**
 * A flag's value was read by the page (props `flag`, `variant`): once per flag and variant in a
 * page's life. The dashboard's A/B view counts users by their first exposure.
 */
export const FLAG_EXPOSURE_EVENT = 'flag.exposure';
