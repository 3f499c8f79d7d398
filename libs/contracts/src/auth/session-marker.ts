/**
 * A cookie script may read (the session's own cookies are httpOnly), set beside the refresh cookie
 * and cleared with it: it says only "this browser has a session to restore", so a guest's first
 * load asks /api/auth/me once and skips the renewal dance (a second /me and a refresh) that a
 * signed-in reader with an expired access cookie needs. It carries no secret: forging it costs the
 * forger those two requests and nothing else.
 */
export const SESSION_MARKER_COOKIE = 'inkwell_session';
