//! The user's configuration file: an embedded default, overlaid strictly by the user's file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::time::Zone;

/// Where the cursor goes after a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AfterMark {
    #[default]
    NextUntriaged,
    Next,
    Stay,
}

/// Settings from `~/.config/copydesk/config.toml`. Unknown keys are an error, so typos show.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub inbox: Option<PathBuf>,
    pub editor: Option<String>,
    /// `local`, `UTC` or an offset such as `+07:00`.
    pub timezone: Option<String>,
    pub ascii: Option<bool>,
    /// Reorder right-to-left text for display (for terminals that do not).
    pub bidi: Option<bool>,
    pub after_mark: Option<AfterMark>,
    pub export_format: Option<String>,
    pub export_dir: Option<PathBuf>,
    /// Action name to keys, e.g. `verified = ["v", "F2"]`.
    #[serde(default)]
    pub keys: BTreeMap<String, Vec<String>>,
}

/// A config file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("config file '{}': {message}", crate::sanitize::echo_path(path))]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl Config {
    /// The default location: `$XDG_CONFIG_HOME/copydesk/config.toml` or `~/.config/...`.
    pub fn default_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("copydesk").join("config.toml"))
    }

    /// Loads a config file. A missing default file is an empty config; a missing file named
    /// explicitly is an error.
    pub fn load(path: &Path, explicit: bool) -> Result<Self, ConfigError> {
        let err = |message: String| ConfigError {
            path: path.to_path_buf(),
            message,
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return Ok(Self::default());
            }
            Err(e) => return Err(err(crate::inbox::walk::io_reason(&e))),
        };
        let config: Self = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            err(format!(
                "{}{}",
                line.map(|l| format!("line {l}: ")).unwrap_or_default(),
                e.message().trim()
            ))
        })?;
        if let Some(format) = &config.export_format
            && crate::cli::ExportFormat::from_name(format).is_none()
        {
            return Err(err(format!(
                "export_format '{}' is not one of csv, json, markdown, toml, text",
                crate::sanitize::echo(format)
            )));
        }
        if let Some(zone) = &config.timezone {
            zone.parse::<Zone>()
                .map_err(|m| err(format!("timezone: {m}")))?;
        }
        // Checked for every command, not only by the screen that uses them: typos show.
        crate::tui::keymap::Keymap::new(&config.keys).map_err(err)?;
        Ok(config)
    }

    /// The configured zone (already validated by `load`).
    pub fn zone(&self) -> Zone {
        self.timezone
            .as_deref()
            .and_then(|z| z.parse().ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_bad_values_name_the_problem() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "editr = \"ayu\"\n")?;
        let e = Config::load(&path, true).unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("editr"), "{e}");
        std::fs::write(&path, "timezone = \"Mars\"\n")?;
        assert!(
            Config::load(&path, true)
                .unwrap_err()
                .to_string()
                .contains("'Mars'")
        );
        std::fs::write(
            &path,
            "editor = \"ayu\"\nafter_mark = \"stay\"\n[keys]\nverified = [\"V\"]\n",
        )?;
        let c = Config::load(&path, true)?;
        assert_eq!(c.after_mark, Some(AfterMark::Stay));
        assert_eq!(c.keys["verified"], vec!["V"]);
        assert!(Config::load(&dir.path().join("none.toml"), false).is_ok());
        for (keys, said) in [
            ("verifed = [\"v\"]", "[keys]: 'verifed' is not an action"),
            (
                "verified = [\"F99\"]",
                "[keys] verified: 'F99' is not a key",
            ),
            ("verified = [\"r\"]", "'r' is bound to both"),
        ] {
            std::fs::write(&path, format!("[keys]\n{keys}\n"))?;
            let e = Config::load(&path, true).unwrap_err().to_string();
            assert!(e.starts_with("config file '") && e.contains(said), "{e}");
        }
        assert!(Config::load(&dir.path().join("none.toml"), true).is_err());
        Ok(())
    }
}
