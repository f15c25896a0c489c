/**
 * Mounts its children in turn with every other <InTurn> on the page: one at a time, the next only
 * after the previous one has committed and the browser has painted a frame.
 *
 * Why not just a transition per chart: React slices a transition's render, but a recharts chart's
 * first commit dispatches to the chart's own store from its layout effects, and those updates
 * (useSyncExternalStore) re-render the whole chart synchronously, in the same task. Several charts
 * committed together then held the page for 150-200 ms in one task; in turn, a task holds at most
 * one chart's first render.
 */
import { startTransition, useEffect, useState, type ReactNode } from "react";

interface Turn {
  start: () => void;
}

const waiting: Turn[] = [];
let current: Turn | null = null;

function next(): void {
  if (current !== null) return;
  const turn = waiting.shift();
  if (turn === undefined) return;
  current = turn;
  turn.start();
}

/** After a paint (or 50 ms, where no frame comes: a hidden tab), the next waiting turn starts. */
function afterPaint(then: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    then();
  };
  const timer = setTimeout(once, 50);
  requestAnimationFrame(() =>
    setTimeout(() => {
      clearTimeout(timer);
      once();
    }, 0),
  );
}

/** Ends a turn (its children committed, or it unmounted): the next one starts after a paint. */
function release(turn: Turn): void {
  const at = waiting.indexOf(turn);
  if (at >= 0) waiting.splice(at, 1);
  if (current !== turn) return;
  afterPaint(() => {
    if (current === turn) current = null;
    next();
  });
}

function Committed({ onCommit }: { onCommit: () => void }) {
  useEffect(onCommit, [onCommit]);
  return null;
}

export function InTurn({ children, placeholder = null }: { children: ReactNode; placeholder?: ReactNode }) {
  const [turn] = useState<Turn>(() => ({ start: () => undefined }));
  const [ready, setReady] = useState(false);
  useEffect(() => {
    turn.start = () => startTransition(() => setReady(true));
    waiting.push(turn);
    next();
    return () => release(turn);
  }, [turn]);
  const [onCommit] = useState(() => () => release(turn));
  return ready ? (
    <>
      {children}
      <Committed onCommit={onCommit} />
    </>
  ) : (
    <>{placeholder}</>
  );
}

/** Turns waiting and whether one is under way (tests). */
export function turnsPending(): number {
  return waiting.length + (current === null ? 0 : 1);
}
