// The dashboard's first data, asked for over HTTP by the page's <head> (components/preload.py)
// while this JavaScript loaded, applied to the page's state as a websocket delta would be.
import { useContext, useEffect } from "react";
import { DispatchContext, StateStoreContext } from "$/utils/context";

export function ApplyPreload({ page, flag }) {
  const dispatch = useContext(DispatchContext);
  const store = useContext(StateStoreContext);
  useEffect(() => {
    const pending = window.__heyonPreload;
    if (!pending) return undefined;
    // Once per page load: a later visit within the app is the websocket's alone.
    window.__heyonPreload = undefined;
    let mounted = true;
    pending.then((delta) => {
      // The websocket's loader may have answered first: its data is never replaced.
      if (!mounted || !delta || store.getSnapshot(page)?.[flag]) return;
      for (const [name, values] of Object.entries(delta)) dispatch[name]?.(values);
    });
    return () => {
      mounted = false;
    };
  }, [dispatch, store, page, flag]);
  return null;
}
