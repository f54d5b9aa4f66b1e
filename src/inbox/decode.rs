//! Bytes to text: gzip, byte-order marks, declared and guessed legacy encodings.

use std::io::Read;

use encoding_rs::Encoding;

/// Most bytes a gzip-compressed file is read to, as a plain file: a bomb stops here.
pub const MAX_INFLATED_BYTES: u64 = super::walk::MAX_FILE_BYTES;

/// Decoded text plus what had to be done to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// Plain-words notes for `check` ("decoded as windows-1251 (guessed)").
    pub notes: Vec<String>,
}

/// Turns raw file bytes into text, never failing: undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_owned(bytes.to_vec())
}

/// [`decode`] taking the bytes: valid UTF-8, the common case, becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Decoded {
    let mut notes = Vec::new();
    let bytes = if is_gzip(&bytes) {
        match gunzip(&bytes) {
            Ok((data, cut)) => {
                if cut {
                    notes.push(format!(
                        "inflates to more than {} MiB: only the start was read",
                        MAX_INFLATED_BYTES >> 20
                    ));
                }
                data
            }
            Err(cause) => {
                notes.push(format!("gzip data is damaged ({cause})"));
                bytes
            }
        }
    } else {
        bytes
    };
    let (text, note) = to_utf8(bytes);
    notes.extend(note);
    Decoded { text, notes }
}

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// The inflated bytes, at most [`MAX_INFLATED_BYTES`], and whether there were more.
fn gunzip(bytes: &[u8]) -> std::io::Result<(Vec<u8>, bool)> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_INFLATED_BYTES + 1)
        .read_to_end(&mut out)?;
    let cut = out.len() as u64 > MAX_INFLATED_BYTES;
    out.truncate(MAX_INFLATED_BYTES as usize);
    Ok((out, cut))
}

fn to_utf8(bytes: Vec<u8>) -> (String, Option<String>) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), None);
    }
    if let Some(encoding) = declared_encoding(&bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, _, had_errors) = encoding.decode(&bytes);
        let note = had_errors.then(|| {
            format!(
                "invalid bytes for the declared {}, replaced",
                encoding.name()
            )
        });
        return (text.into_owned(), note);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => guess_and_decode(e.as_bytes()),
    }
}

fn guess_and_decode(bytes: &[u8]) -> (String, Option<String>) {
    // Mostly valid UTF-8 with a few bad bytes is damaged UTF-8, not a legacy encoding.
    let (mut valid_non_ascii, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if valid_non_ascii >= invalid {
        let text = String::from_utf8_lossy(bytes).into_owned();
        return (
            text,
            Some(format!(
                "invalid UTF-8: {invalid} bad byte sequences replaced"
            )),
        );
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    let note = if encoding == encoding_rs::UTF_8 {
        "invalid UTF-8, bad bytes replaced".to_string()
    } else {
        format!("not UTF-8, decoded as {} (guessed)", encoding.name())
    };
    (text.into_owned(), Some(note))
}

/// The encoding named by an XML declaration or an HTML meta tag near the start.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    // Most files declare nothing: say so without building a lowercase copy.
    if !names_an_encoding(head) {
        return None;
    }
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let trimmed = head.trim_start();
    let label = if trimmed.starts_with("<?xml") {
        let decl_end = trimmed.find("?>")?;
        attribute_value(&trimmed[..decl_end], "encoding")?
    } else {
        meta_charset(&head)?
    };
    let encoding = Encoding::for_label(label.as_bytes())?;
    // A declaration read as ASCII is not in UTF-16, whatever it says (browsers then read
    // UTF-8); and the "replacement" encoding (iso-2022-kr, ...) decodes nothing at all.
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    (encoding != encoding_rs::REPLACEMENT).then_some(encoding)
}

/// The `charset=` of a `<meta>` tag (lowercased text): only a tag declares one, not an
/// article that mentions a charset.
fn meta_charset(head: &str) -> Option<String> {
    let mut rest = head;
    while let Some(at) = rest.find("<meta") {
        let tag = &rest[at..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if let Some(c) = tag.find("charset=") {
            let value = tag[c + "charset=".len()..].trim_start_matches(['"', '\'']);
            let end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(value.len());
            return Some(value[..end].to_string());
        }
        rest = &rest[at + "<meta".len()..];
    }
    None
}

/// True when `head` has "charset" or "encoding" (in any case) before an `=`, as every
/// declaration does: one vectorised search for `=`, then a look at what precedes each one (this
/// runs on every file of an inbox; most have few `=` or none).
fn names_an_encoding(head: &[u8]) -> bool {
    let ends_with = |before: &[u8], word: &[u8]| {
        before.len() >= word.len() && before[before.len() - word.len()..].eq_ignore_ascii_case(word)
    };
    memchr::memchr_iter(b'=', head).any(|eq| {
        let before = head[..eq].trim_ascii_end();
        ends_with(before, b"charset") || ends_with(before, b"encoding")
    })
}

fn attribute_value(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(name)?;
    let rest = tag[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].to_string())
}

/// Replaces the XML declaration so that an XML parser reads the already-decoded text as UTF-8.
pub fn strip_xml_declaration(text: &str) -> &str {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.starts_with("<?xml")
        && let Some(end) = trimmed.find("?>")
    {
        return trimmed[end + 2..].trim_start();
    }
    trimmed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_encoding_is_noticed_in_any_case_and_nowhere_else() {
        for head in [
            &b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"[..],
            b"<meta http-equiv=Content-Type content=\"text/html; CHARSET=windows-1252\">",
            b"<meta charset=utf-8>",
            b"...EnCoDiNg =",
        ] {
            assert!(names_an_encoding(head), "{}", String::from_utf8_lossy(head));
        }
        for head in [
            &b"Chars and sets, an encodin' cousin: enCODIN"[..],
            b"charse=",
            b"charset: none, encoding: none",
            b"",
            "caf\u{e9} \u{c7}harset".as_bytes(),
        ] {
            assert!(
                !names_an_encoding(head),
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn only_a_meta_tag_or_xml_declaration_declares_and_never_utf16_or_replacement() {
        let text = "Mail servers garble headers\n\nThe bug shows when a message says \
                    charset=utf-16 or charset=iso-2022-kr but is sent as ASCII.\n";
        assert_eq!(declared_encoding(text.as_bytes()), None);
        assert_eq!(decode(text.as_bytes()).text, text);
        let page = "<html><head><meta charset=\"utf-16\"><title>T</title></head><body>Real headline</body></html>";
        assert_eq!(declared_encoding(page.as_bytes()), Some(encoding_rs::UTF_8));
        assert_eq!(decode(page.as_bytes()).text, page);
        let kr = "<meta http-equiv=Content-Type content='text/html; charset=iso-2022-kr'>Hello";
        assert_eq!(declared_encoding(kr.as_bytes()), None);
        assert!(decode(kr.as_bytes()).text.ends_with("Hello"));
        let win =
            b"<meta http-equiv=Content-Type content=\"text/html; CHARSET=windows-1252\">caf\xe9";
        assert_eq!(
            decode(win).text,
            "<meta http-equiv=Content-Type content=\"text/html; CHARSET=windows-1252\">caf\u{e9}"
        );
    }

    #[test]
    fn utf8_passes_through() {
        let d = decode("Partager:\n\nBonjour".as_bytes());
        assert_eq!(d.text, "Partager:\n\nBonjour");
        assert!(d.notes.is_empty());
    }

    #[test]
    fn xml_declaration_names_legacy_encoding() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Привет мир");
        let mut doc = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><t>".to_vec();
        doc.extend_from_slice(&bytes);
        let d = decode(&doc);
        assert!(d.text.contains("Привет мир"), "{}", d.text);
        assert!(
            d.notes.is_empty(),
            "a declared encoding is not a problem: {:?}",
            d.notes
        );
    }

    #[test]
    fn latin1_without_declaration_is_guessed() {
        let text = "L'été à Besançon: les élèves décidèrent de fêter la récolte déjà très précoce.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let d = decode(&bytes);
        assert_eq!(d.text, text);
        assert!(d.notes[0].contains("guessed"), "{:?}", d.notes);
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "Le conseil a voté à l'unanimité.".as_bytes().to_vec();
        bytes.insert(3, 0xff);
        let d = decode(&bytes);
        assert_eq!(d.text, "Le \u{fffd}conseil a voté à l'unanimité.");
        assert_eq!(
            d.notes,
            vec!["invalid UTF-8: 1 bad byte sequences replaced"]
        );
    }

    #[test]
    fn gzip_is_inflated() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"hello feed").expect("write");
        let d = decode(&enc.finish().expect("finish"));
        assert_eq!(d.text, "hello feed");
        assert!(d.notes.is_empty());
        // A bomb stops at the plain-file limit, and says so.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let block = vec![b'a'; 1 << 20];
        for _ in 0..=(MAX_INFLATED_BYTES >> 20) {
            enc.write_all(&block).expect("write");
        }
        let d = decode(&enc.finish().expect("finish"));
        assert_eq!(d.text.len() as u64, MAX_INFLATED_BYTES);
        assert_eq!(
            d.notes,
            ["inflates to more than 16 MiB: only the start was read"]
        );
    }

    #[test]
    fn leading_whitespace_before_declaration_is_dropped() {
        assert_eq!(
            strip_xml_declaration("\n  <?xml version=\"1.0\"?>\n<rss/>"),
            "<rss/>"
        );
    }
}
