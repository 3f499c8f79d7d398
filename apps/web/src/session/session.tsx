import { createContext, useContext, type ReactNode } from 'react';
import type { User } from '@inkwell/contracts';

export interface Session {
  /** The signed-in user, or null for a guest. */
  readonly user: User | null;
  /** Tell the app who is signed in now (after sign-in, a password change, sign-out: null). */
  readonly setUser: (user: User | null) => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ value, children }: { readonly value: Session; readonly children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export const isAdmin = (user: User | null): boolean => user?.role === 'admin';
