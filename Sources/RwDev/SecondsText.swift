extension Double {
    /// Seconds as people write them: "2" rather than "2.0", "0.5" as is.
    var secondsText: String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
