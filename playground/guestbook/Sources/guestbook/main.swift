import Guestbook
import RwData
import RwServer

// Production entry point: connect and migrate (or stop with one line), then serve.
await db.prepareOrExit()
try await serve(app)
