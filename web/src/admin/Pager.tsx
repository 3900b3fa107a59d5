// Cursor paging for every list of the console: the cursors of the pages before this one are kept,
// so Previous goes back exactly and Next follows pageInfo.endCursor.
import type { ReactNode } from 'react';

export type Cursors = (string | null)[];

type PageInfo = { hasNextPage: boolean; endCursor?: string | null } | null | undefined;

export function Pager({ cursors, setCursors, pageInfo, previous = 'Previous', next = 'Next', children }: {
  cursors: Cursors;
  setCursors: (c: Cursors) => void;
  pageInfo: PageInfo;
  previous?: string;
  next?: string;
  /** Shown between the buttons (the page number or a count). */
  children?: ReactNode;
}) {
  return (
    <div className="pager">
      <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>{previous}</button>
      {children}
      <button type="button" disabled={!pageInfo?.hasNextPage} onClick={() => setCursors([...cursors, pageInfo?.endCursor ?? null])}>{next}</button>
    </div>
  );
}
