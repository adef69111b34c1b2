import { z } from 'zod';
import { Id, Instant } from './ids';

export const Email = z
  .email({ message: 'must be an email address' })
  .max(254)
  .transform((email) => email.trim().toLowerCase());

export const Password = z
  .string()
  .min(8, { message: 'must be at least 8 characters' })
  .max(200, { message: 'must be at most 200 characters' });

/** The sign-up form shows it as the input's `maxLength`. */
export const DISPLAY_NAME_MAX_LENGTH = 50;

export const DisplayName = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(DISPLAY_NAME_MAX_LENGTH, { message: `must be at most ${DISPLAY_NAME_MAX_LENGTH} characters` });

export const RegisterBody = z.strictObject({
  email: Email,
  password: Password,
  displayName: DisplayName,
});
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z.strictObject({
  email: Email,
  // No length rules on login: a wrong password of any length gets the same answer.
  password: z.string().min(1, { message: 'is required' }).max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** A user as anyone may see them. */
export const PublicUser = z.object({
  id: Id,
  displayName: z.string(),
  createdAt: Instant,
});
export type PublicUser = z.infer<typeof PublicUser>;

/** The signed-in user, as they see themselves. */
export const SelfUser = PublicUser.extend({ email: z.string() });
export type SelfUser = z.infer<typeof SelfUser>;

export const AuthSession = z.object({
  accessToken: z.string(),
  /** When the access token stops working; the page refreshes before then. */
  accessTokenExpiresAt: Instant,
  user: SelfUser,
  /**
   * Names this sign-in's session (all its rotated refresh tokens) so the device can end it later,
   * even offline and after someone else has signed in. It only ever ends a session: it is not a
   * credential and may be kept in storage.
   */
  sessionId: Id,
});
export type AuthSession = z.infer<typeof AuthSession>;

/**
 * Ends a session. With no body, the one in the refresh cookie. With a sessionId, that one, and the
 * cookie only if it belongs to it: a sign-out sent late never ends the next person's session.
 */
export const LogoutBody = z.strictObject({ sessionId: Id.optional() });
export type LogoutBody = z.infer<typeof LogoutBody>;

export const MeResponse = z.object({ user: SelfUser });
export type MeResponse = z.infer<typeof MeResponse>;

/** The claims Rally puts in its access tokens. */
export const AccessTokenClaims = z.object({
  sub: Id,
  name: z.string(),
  /** The session (refresh family) it was issued for: ending the session ends its sockets. */
  sid: Id.optional(),
  /** Expiry, seconds since the epoch (set by every token Rally issues). */
  exp: z.number().optional(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>;

export const REFRESH_COOKIE_NAME = 'rally_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';
