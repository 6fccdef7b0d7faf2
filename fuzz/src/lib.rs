//! Helpers shared by the fuzz targets: building a cell or a workbook from fuzz bytes, and the
//! properties every parser must keep.

use std::io::{Cursor, Write};

use calamine::{ExcelDateTime, ExcelDateTimeType};
use redovisa::read::value::{self, Raw};

/// The largest magnitude `value::decimal` accepts (Excel's 15 digits).
const MAX_NUMBER: i64 = 1_000_000_000_000_000;

/// A cell from fuzz bytes: the first byte chooses the kind, a number kind takes the next eight
/// bytes as an `f64`, a text kind takes the rest as (lossy) UTF-8.
pub fn raw_cell(data: &[u8]) -> Option<Raw> {
    let (&kind, rest) = data.split_first()?;
    let float = || rest.get(..8).map(|b| f64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
    let text = || String::from_utf8_lossy(rest).into_owned();
    Some(match kind % 9 {
        0 => Raw::Text(text()),
        1 => Raw::Number { value: float()?, percent: false },
        2 => Raw::Number { value: float()?, percent: true },
        3 => Raw::Bool(rest.first().is_some_and(|b| b & 1 == 1)),
        4 => Raw::DateTime(ExcelDateTime::new(float()?, ExcelDateTimeType::DateTime, false)),
        5 => Raw::DateTime(ExcelDateTime::new(float()?, ExcelDateTimeType::TimeDelta, false)),
        6 => Raw::Iso(text()),
        7 => Raw::Error(text()),
        _ => Raw::Text(format!("{}:{}", float()?, text())),
    })
}

fn not_finite(raw: &Raw) -> bool {
    match raw {
        Raw::Number { value, .. } => !value.is_finite(),
        Raw::DateTime(dt) => !dt.as_f64().is_finite(),
        _ => false,
    }
}

/// Runs every cell parser on `raw` and checks what each promises of an accepted value.
pub fn check_cell(raw: &Raw) {
    let nan = not_finite(raw);
    let _ = value::text(raw);
    if let Ok(d) = value::decimal(raw) {
        assert!(!nan, "a number that is not finite was accepted: {raw:?} → {d}");
        assert!(d.abs() < rust_decimal::Decimal::from(MAX_NUMBER), "{raw:?} → {d}");
    }
    if let Ok(d) = value::amount(raw) {
        assert!(!nan && !d.is_sign_negative() || d.is_zero(), "{raw:?} → {d}");
        assert!(d.normalize().scale() <= 2, "{raw:?} → {d}");
    }
    if let Ok(s) = value::share(raw) {
        assert!(!nan && s > rust_decimal::Decimal::ZERO && s <= rust_decimal::Decimal::ONE, "{raw:?} → {s}");
    }
    if let Ok(h) = value::hours(raw) {
        assert!(!nan, "a duration that is not finite was accepted: {raw:?} → {h:?}");
        assert!(!h.is_negative() && h.value() <= rust_decimal::Decimal::from(10_000), "{raw:?} → {h:?}");
    }
    if let Ok(d) = value::date(raw) {
        assert!(!nan, "{raw:?} → {d}");
    }
    let _ = value::month(raw);
    let _ = value::when(raw);
    if let Ok(v) = value::whole(raw) {
        assert!(v >= 1, "{raw:?} → {v}");
    }
    if let Raw::Text(s) | Raw::Iso(s) | Raw::Error(s) = raw {
        let _ = value::parse_month_text(s);
        let _ = redovisa::money::parse_sv_number(s);
    }
}

/// The contract's sheets, in the order the fuzz input gives them.
pub const SHEETS: [&str; 8] = [
    "Uppgifter",
    "Personal",
    "Tidrapport",
    "Frånvaro",
    "Deltagare",
    "Indikatorer",
    "Lägesbeskrivning",
    "Övriga kostnader",
];

const EMPTY_SHEET: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="[h]:mm"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/><xf numFmtId="9" xfId="0" applyNumberFormat="1"/><xf numFmtId="20" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/><xf numFmtId="10" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"#;

/// A well-formed xlsx holding the fuzz input's parts (see the `sheets` target).
pub fn sheets_workbook(data: &[u8]) -> Vec<u8> {
    let parts: Vec<&[u8]> = data.splitn(SHEETS.len() + 1, |b| *b == 0xFF).collect();
    let strings = parts.get(SHEETS.len()).copied();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut put = |name: &str, bytes: &[u8]| {
        let _ = zip.start_file(name, opts);
        let _ = zip.write_all(bytes);
    };
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    );
    let mut sheets = String::new();
    let mut rels = String::new();
    for (i, name) in SHEETS.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        sheets.push_str(&format!(r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
    }
    if strings.is_some() {
        types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    rels.push_str(r#"<Relationship Id="rId91" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#);
    types.push_str("</Types>");
    put("[Content_Types].xml", types.as_bytes());
    put("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#);
    put("xl/workbook.xml", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>"#).as_bytes());
    put("xl/_rels/workbook.xml.rels", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#).as_bytes());
    put("xl/styles.xml", STYLES.as_bytes());
    for i in 0..SHEETS.len() {
        let xml = parts.get(i).copied().filter(|p| !p.is_empty()).unwrap_or(EMPTY_SHEET);
        put(&format!("xl/worksheets/sheet{}.xml", i + 1), xml);
    }
    if let Some(s) = strings {
        put("xl/sharedStrings.xml", s);
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}
