// Renders its children only once the page has painted after it mounted (components/deferred.py).
import { useEffect, useState } from "react";

export function AfterPaint({ children }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    // A timeout queued from the frame's callback runs after that frame is painted.
    let timeout;
    const frame = requestAnimationFrame(() => {
      timeout = setTimeout(() => setShown(true));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timeout);
    };
  }, []);
  return shown ? children : null;
}
