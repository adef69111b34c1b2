import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { DISPLAY_NAME_MAX_LENGTH, LoginBody, RegisterBody, fieldErrorsOf } from '../../../protocol';
import { ApiError } from '../../net/api-error';
import { register, signIn, useSession } from '../../net/auth-client';
import { TextField } from '../../ui/Field';
import { ErrorAlert, OpeningRally } from '../../ui/feedback';
import { FlagIcon } from '../../ui/icons';
import { useDocumentTitle } from '../../ui/use-document-title';
import { useFormFields } from '../../ui/use-form-fields';
import { safeNextPath } from './safe-next-path';
import { track } from '../../analytics/analytics';
import { FUNNEL_EVENTS } from '../../../protocol/analytics-names';
import './auth.css';

type Mode = 'login' | 'register';

export function LoginScreen() {
  const sessionState = useSession();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get('next'));
  const [mode, setMode] = useState<Mode>('login');
  const { values, setFieldErrors, textField } = useFormFields({ email: '', password: '', displayName: '' });
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  useDocumentTitle(mode === 'login' ? 'Sign in' : 'Create an account');

  if (sessionState.status === 'restoring') return <OpeningRally />;
  if (sessionState.status === 'signed-in' && !submitting) return <Navigate to={next} replace />;

  function switchMode(to: Mode) {
    setMode(to);
    setFieldErrors({});
    setError(null);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { email, password, displayName } = values;
    const parsed =
      mode === 'login'
        ? LoginBody.safeParse({ email, password })
        : RegisterBody.safeParse({ email, password, displayName });
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      setError(null);
      return;
    }
    setSubmitting(true);
    setFieldErrors({});
    setError(null);
    try {
      if (mode === 'login') await signIn(parsed.data as LoginBody);
      else {
        await register(parsed.data as RegisterBody);
        track(FUNNEL_EVENTS.signUp);
      }
      void navigate(next, { replace: true });
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError) setFieldErrors(caught.fields);
      setSubmitting(false);
    }
  }

  const isLogin = mode === 'login';
  return (
    <main className="auth-screen">
      <div className="auth-card">
        <div className="auth-brand">
          <FlagIcon />
          <span>Rally</span>
        </div>
        <h1>{isLogin ? 'Welcome back' : 'Join Rally'}</h1>
        <p className="muted auth-lede">
          {isLogin ? 'Sign in to see what your people are up to.' : 'Plan things, invite friends, and show up together.'}
        </p>
        <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate>
          {!isLogin && (
            <TextField
              label="Display name"
              name="displayName"
              autoComplete="nickname"
              {...textField('displayName', 'Display name')}
              maxLength={DISPLAY_NAME_MAX_LENGTH}
              required
            />
          )}
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            {...textField('email', 'Email')}
            required
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete={isLogin ? 'current-password' : 'new-password'}
            {...textField('password', 'Password')}
            hint={isLogin ? undefined : 'At least 8 characters.'}
            required
          />
          {error !== null && <ErrorAlert error={error} />}
          <button type="submit" className="button button-primary button-block" disabled={submitting}>
            {isLogin ? 'Sign in' : 'Create account'}
          </button>
        </form>
        <p className="auth-switch">
          {isLogin ? 'New here?' : 'Been here before?'}{' '}
          <button type="button" className="link-button" onClick={() => switchMode(isLogin ? 'register' : 'login')}>
            {isLogin ? 'Create an account' : 'I already have an account'}
          </button>
        </p>
      </div>
    </main>
  );
}
