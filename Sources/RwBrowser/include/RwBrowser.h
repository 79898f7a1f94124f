#ifndef RW_BROWSER_H
#define RW_BROWSER_H

#include <stddef.h>

/// The bytes of one of the browser scripts embedded at build time; they live as long as the
/// program and are never written to.
typedef struct {
    const unsigned char *bytes;
    size_t count;
} RwBrowserScript;

/// The client runtime (js/client.js): hydrates client components, calls server actions, and
/// hydrates a client component again when its module or props change.
RwBrowserScript rw_browser_client_js(void);

/// The dev server's live updates (js/live.js): follows `/_rw/events`, updates the page in place.
RwBrowserScript rw_browser_channel_js(void);

RwBrowserScript rw_browser_live_js(void);

/// The DOM morph the live updates use (js/morph.js).
RwBrowserScript rw_browser_morph_js(void);

/// The dev server's error overlay (js/overlay.js).
RwBrowserScript rw_browser_overlay_js(void);

#endif
