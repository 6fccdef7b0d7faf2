//! Swedish for the user: a count with its noun in the right number ("1 varning", "2 varningar"),
//! and what the operating system said, in Swedish.
//!
//! Every line printed to a user that counts something goes through [`count`]; every OS error
//! shown to a user goes through [`io_error`] (the OS's own text stays, in parentheses, for
//! whoever has to search for it).

use std::io::ErrorKind;
use std::path::Path;

/// A count and its noun: `count(1, "varning", "varningar")` is "1 varning", any other number
/// takes the plural ("0 varningar", "2 varningar").
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// The nouns counted in what the program prints, singular and plural.
pub mod noun {
    pub const FEL: (&str, &str) = ("fel", "fel");
    pub const VARNING: (&str, &str) = ("varning", "varningar");
    pub const ARBETSBOK: (&str, &str) = ("arbetsbok", "arbetsböcker");
    pub const FIL: (&str, &str) = ("fil", "filer");
    pub const MANAD: (&str, &str) = ("månad", "månader");
    pub const DAG: (&str, &str) = ("dag", "dagar");
}

/// [`count`] with a noun pair of [`noun`].
pub fn counted(n: usize, noun: (&str, &str)) -> String {
    count(n, noun.0, noun.1)
}

/// What went wrong, in Swedish, for an OS error: "finns inte (systemets text: No such file or
/// directory (os error 2))". The OS's own text is kept in parentheses, marked as such.
pub fn io_error(e: &std::io::Error) -> String {
    let what = match e.kind() {
        ErrorKind::NotFound => "finns inte",
        ErrorKind::PermissionDenied => "behörighet saknas",
        ErrorKind::AlreadyExists => "finns redan",
        ErrorKind::StorageFull => "disken är full",
        ErrorKind::QuotaExceeded => "diskkvoten är slut",
        ErrorKind::ReadOnlyFilesystem => "filsystemet är skrivskyddat",
        ErrorKind::NotADirectory => "en del av sökvägen är ingen mapp",
        ErrorKind::IsADirectory => "är en mapp, inte en fil",
        ErrorKind::DirectoryNotEmpty => "mappen är inte tom",
        ErrorKind::InvalidFilename => "ogiltigt filnamn",
        ErrorKind::FileTooLarge => "filen är för stor",
        ErrorKind::ResourceBusy => "upptagen av ett annat program",
        ErrorKind::StaleNetworkFileHandle => "nätverksenheten svarar inte längre",
        ErrorKind::TimedOut => "tog för lång tid",
        ErrorKind::Interrupted => "avbröts",
        ErrorKind::UnexpectedEof => "tog slut oväntat",
        ErrorKind::BrokenPipe => "mottagaren stängde",
        ErrorKind::InvalidData => "ogiltigt innehåll",
        ErrorKind::OutOfMemory => "minnet tog slut",
        ErrorKind::CrossesDevices => "kan inte flyttas mellan enheter",
        _ => "systemfel",
    };
    format!("{what} ({OS_TEXT} {e})")
}

/// What introduces the operating system's own (English) words in [`io_error`].
pub const OS_TEXT: &str = "systemets text:";

/// "kan inte <doing> <path>: <io_error>" — a failed operation on a path, in Swedish.
pub fn io_failed(doing: &str, path: &Path, e: &std::io::Error) -> String {
    format!("kan inte {doing} {}: {}", path.display(), io_error(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_agree_with_their_numbers() {
        assert_eq!(counted(0, noun::VARNING), "0 varningar");
        assert_eq!(counted(1, noun::VARNING), "1 varning");
        assert_eq!(counted(2, noun::VARNING), "2 varningar");
        assert_eq!(counted(1, noun::ARBETSBOK), "1 arbetsbok");
        assert_eq!(counted(11, noun::ARBETSBOK), "11 arbetsböcker");
        assert_eq!(counted(1, noun::FEL), "1 fel");
        assert_eq!(counted(3, noun::FEL), "3 fel");
        assert_eq!(counted(1, noun::DAG), "1 dag");
        assert_eq!(counted(21, noun::MANAD), "21 månader");
    }

    #[test]
    fn os_errors_are_said_in_swedish_with_the_os_text_kept() {
        let e = std::io::Error::from_raw_os_error(2);
        let text = io_error(&e);
        assert!(text.starts_with("finns inte (systemets text: "), "{text}");
        assert!(text.contains("os error 2"), "{text}");
        let e = std::io::Error::from_raw_os_error(28);
        assert!(io_error(&e).starts_with("disken är full"), "{}", io_error(&e));
        let e = std::io::Error::from_raw_os_error(13);
        assert!(io_error(&e).starts_with("behörighet saknas"));
        assert_eq!(
            io_failed("läsa", Path::new("/x/y"), &std::io::Error::from_raw_os_error(2)),
            format!("kan inte läsa /x/y: finns inte (systemets text: {})", std::io::Error::from_raw_os_error(2))
        );
    }
}
