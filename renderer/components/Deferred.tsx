import { useEffect, useState, type ReactNode } from "react";

/**
 * Mounts its children a frame after the page around them: a screen of several charts then renders
 * in a few short tasks instead of one long one (the page stays responsive while a large run opens).
 */
export function Deferred({ children, placeholder = null }: { children: ReactNode; placeholder?: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setReady(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return <>{ready ? children : placeholder}</>;
}
