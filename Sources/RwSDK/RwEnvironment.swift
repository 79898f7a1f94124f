/// Whether the app is served by the development server or in production; decides how much
/// detail error pages show.
public enum RwEnvironment: Sendable {
    /// `rw dev`: error pages include error details.
    case development
    /// `rw build` / `rw preview`: error pages never include internal details.
    case production
}
