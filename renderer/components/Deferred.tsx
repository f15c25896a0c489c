import { startTransition, useEffect, useState, type ReactNode } from "react";

/**
 * Mounts its children a frame after the page around them: a screen of several charts then renders
 * in a few short tasks instead of one long one (the page stays responsive while a large run opens).
 * The mount is a transition, which React renders in slices of a few milliseconds, yielding to the
 * browser between them: one chart's first render (tens of ms of recharts work, several times that
 * on a loaded machine) never holds a frame back.
 */
export function Deferred({ children, placeholder = null, frames = 1 }: { children: ReactNode; placeholder?: ReactNode; frames?: number }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    // `frames` apart: siblings deferred by 1, 2, 3… frames render in separate tasks, not one.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    let left = Math.max(1, frames);
    const next = () => {
      frame = requestAnimationFrame(() => {
        left -= 1;
        if (left > 0) next();
        else timer = setTimeout(() => startTransition(() => setReady(true)), 0);
      });
    };
    next();
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [frames]);
  return <>{ready ? children : placeholder}</>;
}
