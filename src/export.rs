//! Status lists for the CMS, mail, chat and spreadsheets.

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first) is
/// prefixed with a quote so it stays text.
pub fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Writes the export.
pub fn run(
    _ctx: &crate::commands::Context,
    _args: &crate::cli::ExportArgs,
    _out: &mut dyn std::io::Write,
) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("export is being written")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("-5 dead"), "'-5 dead");
        assert_eq!(spreadsheet_safe("Banjir"), "Banjir");
    }
}
