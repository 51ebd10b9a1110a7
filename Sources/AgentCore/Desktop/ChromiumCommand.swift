/// The Chromium command line of a virtual desktop (desktop-perf §3 "Chromium in a session", §7.9).
enum ChromiumCommand {
    /// The flags, in order, before `options.extraArguments` and the URL.
    ///
    /// As root Chromium refuses to start without `--no-sandbox`, and `--test-type` hides the infobar
    /// that flag would otherwise add. The rest are the "lean" set measured there (about 25 MiB less
    /// PSS and a faster first paint), plus a per-session profile and a window covering the screen.
    static func flags(profileDirectory: String, width: Int, height: Int) -> [String] {
        [
            "--no-sandbox", "--test-type",
            "--no-first-run", "--no-default-browser-check", "--password-store=basic",
            "--user-data-dir=\(profileDirectory)",
            "--window-position=0,0", "--window-size=\(width),\(height)",
            "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--mute-audio", "--no-service-autorun", "--disable-default-apps",
        ]
    }

    /// The arguments after the executable for opening `url`.
    static func arguments(url: String, options: BrowserOptions, defaultProfile: String, width: Int, height: Int) -> [String] {
        flags(profileDirectory: options.profileDirectory ?? defaultProfile, width: width, height: height)
            + options.extraArguments + ["--", url]
    }
}
