import Realtime
import RwData
import RwServer

// Production entry point: connect to the database (which starts the fan-out across instances on
// PostgreSQL), then serve.
await db.prepareOrExit()
try await serve(app)
