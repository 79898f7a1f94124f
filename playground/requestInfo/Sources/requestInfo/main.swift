import RequestInfoApp
import RwServer

// Production entry point: `rw build` compiles this, `rw preview` runs it.
try await serve(app)
