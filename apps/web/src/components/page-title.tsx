import { useEffect, type ReactNode } from 'react';

/** The page's heading, and the document title a screen reader announces on navigation. */
export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · ScriptRipper`;
  }, [title]);
  return (
    <div className="page-title">
      <h1>{title}</h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </div>
  );
}
