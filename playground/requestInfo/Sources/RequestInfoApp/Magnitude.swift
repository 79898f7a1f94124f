// rw-playground: begin action
// import ComplexModule
//
// import RwSDK
//
// /// What the magnitude action answers.
// struct MagnitudeResult: Codable, Sendable {
//     let magnitude: Double
// }
//
// /// A server action: the length of the complex number `re + im·i` (swift-numerics), also sent
// /// in the `X-Magnitude` response header through `requestInfo`.
// let magnitude = serverAction("magnitude") { input in
//     let z = Complex(Double(input["re"] ?? "") ?? 0, Double(input["im"] ?? "") ?? 0)
//     requestInfo.response.headers["X-Magnitude"] = "\(z.length)"
//     return MagnitudeResult(magnitude: z.length)
// }
// rw-playground: end action
