//! This process's memory as the kernel counts it, for the memory examples.

/// A `/proc/self/status` field ("VmHWM:" peak, "VmRSS:" resident) in MB; 0 when unknown.
pub fn status_mb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
