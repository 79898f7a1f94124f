extension Duration {
    /// The duration in seconds, as the runner's command line and ``RequestTimedOut`` carry it.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
