// The browser scripts, embedded from the `js` folder at build time (C23 `#embed`), so that every
// binary that serves them (the production server, the dev server, a dev deps image) carries
// them in its own data and reads no file at run time. The compiler's dependency file names the
// embedded files, so an edit of a script rebuilds this file.
#include "RwBrowser.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char client_js[] = {
#embed "js/client.js"
};

static const unsigned char channel_js[] = {
#embed "js/channel.js"
};

static const unsigned char live_js[] = {
#embed "js/live.js"
};

static const unsigned char morph_js[] = {
#embed "js/morph.js"
};

static const unsigned char overlay_js[] = {
#embed "js/overlay.js"
};

RwBrowserScript rw_browser_client_js(void) { return (RwBrowserScript){client_js, sizeof client_js}; }
RwBrowserScript rw_browser_channel_js(void) { return (RwBrowserScript){channel_js, sizeof channel_js}; }
RwBrowserScript rw_browser_live_js(void) { return (RwBrowserScript){live_js, sizeof live_js}; }
RwBrowserScript rw_browser_morph_js(void) { return (RwBrowserScript){morph_js, sizeof morph_js}; }
RwBrowserScript rw_browser_overlay_js(void) { return (RwBrowserScript){overlay_js, sizeof overlay_js}; }
