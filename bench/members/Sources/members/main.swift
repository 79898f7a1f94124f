import Members
import RwServer

try await serve(app)
