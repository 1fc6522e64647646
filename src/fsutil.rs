//! Reading and writing files so that nothing hangs, explodes or is lost.
//!
//! **Reading.** What redline reads from a policy repository (`policy/`, `archive/`, the
//! criteria) must be a regular file of at most [`MAX_FILE_BYTES`] (64 MiB): [`read_regular`]
//! refuses a named pipe (which would block every command until someone writes to it), a device
//! (`/dev/zero` never ends), a folder or a socket before opening it, and names a symbolic link
//! loop as such. A path typed on the command line may also be a pipe (`redline diff a.md <(git
//! show …)`); [`read_named`] reads it under the same cap.
//!
//! **Writing.** `tempfile` creates files with mode 0600 (private to their owner), which would
//! leave a policy or a fixed file unreadable by a web server or a colleague; [`write_atomically`]
//! gives them the usual 0644 (on Unix; elsewhere it does nothing more than the write). Temporary
//! folders need nothing: `tempfile` creates them with the default mode (0777 less the umask).

use crate::error::{Error, Result};
use std::io::{Read as _, Write as _};
use std::path::Path;

/// The largest file redline reads: 64 MiB. The longest real policies are under 1 MiB; anything
/// bigger is not a policy (a log, a database dump, a device that never ends).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How the cap reads in messages.
const MAX_FILE_WORDS: &str = "64 MiB";

/// What an I/O error on a symbolic link loop says.
pub const LOOP_MESSAGE: &str = "is a symbolic link loop (following its links leads back to itself); point the link at a real file";

/// Whether `err` is the operating system's "too many levels of symbolic links" (ELOOP).
pub fn is_symlink_loop(err: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        err.raw_os_error() == Some(nix::errno::Errno::ELOOP as i32)
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}

/// What kind of thing a path is, in words, when it is not a regular file (`a named pipe (FIFO)`).
fn kind_words(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// The error for a path whose metadata cannot be read: a dangling symbolic link is named as
/// such, a loop too ([`Error::io`]).
fn metadata_error(path: &Path, label: &str, err: &std::io::Error) -> Error {
    if err.kind() == std::io::ErrorKind::NotFound
        && let Ok(target) = std::fs::read_link(path)
    {
        return Error::Io {
            path: label.to_string(),
            message: format!("is a symbolic link to `{}`, which does not exist", target.display()),
        };
    }
    Error::io(label, err)
}

fn too_big(label: &str, size: Option<u64>) -> Error {
    Error::Io {
        path: label.to_string(),
        message: match size {
            Some(n) => format!(
                "is {n} bytes, more than the {MAX_FILE_WORDS} redline reads ({MAX_FILE_BYTES} bytes); a policy is text, so this is not one"
            ),
            None => format!(
                "holds more than the {MAX_FILE_WORDS} redline reads ({MAX_FILE_BYTES} bytes); a policy is text, so this is not one"
            ),
        },
    }
}

/// Reads at most [`MAX_FILE_BYTES`] from `reader`; more is an error naming `label`.
fn read_capped(reader: impl std::io::Read, label: &str, size: Option<u64>) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(size.unwrap_or(0).min(MAX_FILE_BYTES) as usize);
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Error::io(label, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(label, None));
    }
    Ok(bytes)
}

/// Reads a file of the policy repository (`policy/…`, `archive/…`, the criteria): it must be a
/// regular file, or a symbolic link to one, of at most [`MAX_FILE_BYTES`]. The type and size
/// are checked before the file is opened, so a named pipe cannot block and a device cannot
/// grow without end. `label` names the file in errors.
///
/// Errors ([`Error::Io`] naming `label`): no such file, a dangling link, a link loop, a folder,
/// a pipe, a device or a socket, a file over the cap, an I/O error.
pub fn read_regular(path: &Path, label: &str) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| metadata_error(path, label, &e))?;
    if !meta.is_file() {
        let what = kind_words(meta.file_type());
        return Err(Error::Io {
            path: label.to_string(),
            message: if meta.is_dir() {
                "is a folder, not a file".to_string()
            } else {
                format!(
                    "is {what}, not a regular file; redline reads policies only from regular files of at most {MAX_FILE_WORDS}"
                )
            },
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(label, Some(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(label, &e))?;
    read_capped(file, label, Some(meta.len()))
}

/// Reads a file named on the command line: a regular file as [`read_regular`] does, or a pipe
/// or device (`<(git show …)`, `/dev/stdin`), read up to [`MAX_FILE_BYTES`].
///
/// Errors ([`Error::Io`] naming `label`): as [`read_regular`], but a pipe or device is read; a
/// folder or socket is refused, and so is more than the cap.
pub fn read_named(path: &Path, label: &str) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| metadata_error(path, label, &e))?;
    if meta.is_file() {
        return read_regular(path, label);
    }
    if meta.is_dir() {
        return Err(Error::Io {
            path: label.to_string(),
            message: "is a folder, not a file".to_string(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if meta.file_type().is_socket() {
            return Err(Error::Io {
                path: label.to_string(),
                message: "is a socket, not a file".to_string(),
            });
        }
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(label, &e))?;
    read_capped(file, label, None)
}

/// Whether something exists at `path`, a dangling link or a link loop included (unlike
/// [`Path::exists`], which follows links and says `false` for both).
pub fn is_present(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

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
