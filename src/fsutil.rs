//! Writing files so that nothing is lost and the result is readable like any other file:
//! `tempfile` creates files with mode 0600 (private to their owner), which would leave a policy
//! or a fixed file unreadable by a web server or a colleague; [`write_atomically`] gives them
//! the usual 0644 (on Unix; elsewhere it does nothing more than the write). Temporary folders
//! need nothing: `tempfile` creates them with the default mode (0777 less the umask).

use crate::error::{Error, Result};
use std::io::Write as _;
use std::path::Path;

/// Mode of a new file (owner read-write, everyone else read).
#[cfg(unix)]
const FILE_MODE: u32 = 0o644;

/// Writes `bytes` to `path` atomically: into a temporary file in the same folder, synced, then
/// renamed over `path`. The file gets the mode of the file it replaces, or 0644 when new. `label`
/// names the file in errors.
///
/// Errors: an I/O error (naming `label`, or the folder when the temporary file cannot be made).
pub fn write_atomically(path: &Path, label: &str, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, &e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(label, &e))?;
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => new_file_permissions(),
    };
    if let Some(p) = permissions {
        std::fs::set_permissions(tmp.path(), p).map_err(|e| Error::io(label, &e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(label, &e.error))?;
    Ok(())
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt as _;
    Some(std::fs::Permissions::from_mode(FILE_MODE))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_are_0644_and_replaced_files_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.md");
        write_atomically(&new, "new.md", b"a\n").unwrap();
        assert_eq!((std::fs::read(&new).unwrap(), mode(&new)), (b"a\n".to_vec(), 0o644));
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "old").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o750)).unwrap();
        write_atomically(&script, "run.sh", b"new").unwrap();
        assert_eq!((std::fs::read(&script).unwrap(), mode(&script)), (b"new".to_vec(), 0o750));
    }
}
