//! Where a scrub writes: never over one of its inputs, and never a torn
//! file. A file is written beside its target under a temporary name,
//! synced, and renamed over the target only once the scrub completed; on
//! any error, or an interrupt, the temporary file is removed and the target
//! is as it was.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::ScrubError;

/// Where the scrubbed list goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Standard output (no `--out`, or `--out -`).
    Stdout,
    /// A file: replaced only when the scrub completed.
    File(PathBuf),
}

impl Destination {
    /// The destination `--out` names: `-` or nothing is standard output.
    pub fn from_arg(out: Option<PathBuf>) -> Destination {
        match out {
            Some(path) if path.as_os_str() != "-" => Destination::File(path),
            _ => Destination::Stdout,
        }
    }

    /// How messages name it.
    pub fn name(&self) -> String {
        match self {
            Destination::Stdout => "standard output".to_owned(),
            Destination::File(path) => path.display().to_string(),
        }
    }
}

/// The temporary files of a process's scrubs, for an interrupt to remove:
/// a clone goes to the signal handler, which calls [`Cleanup::abandon`].
#[derive(Clone, Debug, Default)]
pub struct Cleanup(Arc<Mutex<Pending>>);

#[derive(Debug, Default)]
struct Pending {
    /// Set by an interrupt: no file may be created or renamed after it.
    abandoned: bool,
    /// Temporary files written and not yet renamed into place.
    temps: Vec<PathBuf>,
    /// Whether an output file was renamed into place.
    committed: bool,
    /// Whether an output was being written in place (standard output, a
    /// device or a pipe), where what was written stays written.
    in_place: bool,
}

impl Cleanup {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // A panic elsewhere must not stop the cleanup.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Removes every temporary file, and keeps any from being created or
    /// renamed into place while the returned value lives: hold it until the
    /// process exits.
    pub fn abandon(&self) -> Abandoned<'_> {
        let mut pending = self.lock();
        pending.abandoned = true;
        for temp in pending.temps.drain(..) {
            let _ = fs::remove_file(temp);
        }
        let outcome = if pending.committed {
            Outcome::Written
        } else if pending.in_place {
            Outcome::Partial
        } else {
            Outcome::Unchanged
        };
        Abandoned {
            _pending: pending,
            outcome,
        }
    }
}

impl Cleanup {
    /// Ends the scrub's watch: called once the scrub returned (done or
    /// failed). An interrupt already being handled keeps the lock and ends
    /// the process itself (this call then waits for it, so its exit status
    /// and message are the ones that stand); one that comes later finds the
    /// lock held until the process exits and changes nothing, so the
    /// program ends as the scrub decided, never with a message cut short.
    pub fn finish(&self) {
        std::mem::forget(self.lock());
    }
}

/// What an interrupt left behind; holds the cleanup's lock.
#[derive(Debug)]
pub struct Abandoned<'a> {
    _pending: MutexGuard<'a, Pending>,
    /// What became of the output.
    pub outcome: Outcome,
}

/// What became of a scrub's output when it was interrupted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was written: a file output is exactly as it was.
    Unchanged,
    /// The output file had already been renamed into place, complete.
    Written,
    /// Standard output, a device or a pipe got part of the list.
    Partial,
}

impl Outcome {
    /// The sentence that tells a user what happened.
    pub fn message(self, destination: &Destination) -> String {
        let name = destination.name();
        match (self, destination) {
            (Outcome::Written, _) => format!("interrupted after {name} was written in full"),
            (Outcome::Partial, _) => {
                format!("interrupted: the scrubbed list written to {name} is incomplete")
            }
            (Outcome::Unchanged, Destination::Stdout) => {
                format!("interrupted before anything was written to {name}")
            }
            (Outcome::Unchanged, Destination::File(_)) => {
                format!("interrupted: {name} was not written; nothing was changed")
            }
        }
    }
}

impl Outcome {
    /// [`Outcome::message`] for an output written with `reports` (their
    /// names), which are renamed into place with it and share its fate.
    pub fn message_with(self, destination: &Destination, reports: &[String]) -> String {
        let message = self.message(destination);
        if reports.is_empty() {
            return message;
        }
        let names = reports.join(", ");
        let on_stdout = Destination::Stdout.name();
        match self {
            // A report for standard output is written after the files are
            // renamed: it may have been cut by the interrupt.
            Outcome::Written if reports.contains(&on_stdout) => {
                let files: Vec<&str> = reports
                    .iter()
                    .filter(|name| **name != on_stdout)
                    .map(String::as_str)
                    .collect();
                let files = if files.is_empty() {
                    String::new()
                } else {
                    format!(", with its reports ({})", files.join(", "))
                };
                format!("the report on standard output may be incomplete; {message}{files}")
            }
            Outcome::Written => format!("{message}, with its reports ({names})"),
            Outcome::Unchanged | Outcome::Partial => {
                format!("{message}; no report was written ({names})")
            }
        }
    }
}

/// How a destination will be written, decided before anything is read.
#[derive(Debug)]
pub(crate) struct Plan {
    how: How,
    /// How messages name the output.
    name: String,
}

#[derive(Debug)]
enum How {
    Stdout,
    /// Through a temporary file renamed over `target` (the file a symlink
    /// names, not the link), taking the old file's permissions.
    Replace {
        target: PathBuf,
        permissions: Option<Permissions>,
    },
    /// A device or a pipe, written as it goes: nothing stored can be lost,
    /// and a rename would replace the device node itself.
    InPlace(PathBuf),
}

/// What identifies a file: its canonical path, and on Unix its device and
/// inode (which also catch hard links).
#[derive(Debug, PartialEq, Eq)]
struct Identity {
    canonical: Option<PathBuf>,
    inode: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Identity {
        let canonical = fs::canonicalize(path).ok().or_else(|| {
            // A file not there yet: its directory's canonical path and name.
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            Some(fs::canonicalize(parent).ok()?.join(path.file_name()?))
        });
        Identity {
            canonical,
            inode: fs::metadata(path).ok().as_ref().and_then(inode),
        }
    }

    fn is(&self, other: &Identity) -> bool {
        fn same<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
            a.is_some() && a == b
        }
        same(&self.canonical, &other.canonical) || same(&self.inode, &other.inode)
    }
}

#[cfg(unix)]
fn inode(metadata: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The file standard output is, when it is a regular file (`> file`).
#[cfg(unix)]
fn stdout_inode() -> Option<(u64, u64)> {
    use std::os::fd::AsFd;
    let fd = io::stdout().as_fd().try_clone_to_owned().ok()?;
    let metadata = File::from(fd).metadata().ok()?;
    metadata.is_file().then(|| inode(&metadata)).flatten()
}

#[cfg(not(unix))]
fn stdout_inode() -> Option<(u64, u64)> {
    None
}

/// Decides how to write `destination`, refusing one that is any of the
/// `inputs` (`(flag, path)`), however spelled: another path to it, a symlink
/// to it, a hard link, or standard output redirected into it.
pub(crate) fn plan(
    destination: &Destination,
    inputs: &[(&'static str, &Path)],
) -> Result<Plan, ScrubError> {
    plan_as("--out", destination, inputs)
}

/// Refuses an input that is not a regular file (a pipe, a FIFO,
/// `/dev/stdin`) given for two flags: it can be read only once, and the
/// second reader would wait for a writer that is gone, or take the first's
/// rows.
pub(crate) fn refuse_pipe_twice(inputs: &[(&'static str, &Path)]) -> Result<(), ScrubError> {
    for (at, (flag, path)) in inputs.iter().enumerate() {
        let regular = fs::metadata(path).is_ok_and(|metadata| metadata.is_file());
        if regular {
            continue;
        }
        let identity = Identity::of(path);
        if let Some((first, first_path)) = inputs[..at]
            .iter()
            .find(|(_, earlier)| Identity::of(earlier).is(&identity))
        {
            return Err(ScrubError::Usage(format!(
                "{flag} {} is the {first} input {} too, and it is not a regular file (a pipe \
                 can be read only once): give each its own file; nothing was changed",
                path.display(),
                first_path.display()
            )));
        }
    }
    Ok(())
}

/// Whether `path` is the file standard output is redirected into.
pub(crate) fn is_stdout(path: &Path) -> bool {
    let stdout = Identity {
        canonical: None,
        inode: stdout_inode(),
    };
    Identity::of(path).is(&stdout)
}

/// [`plan`] for the output that `flag` names (`--out`, `--report`,
/// `--report-json`), as its refusals name it.
pub(crate) fn plan_as(
    out_flag: &'static str,
    destination: &Destination,
    inputs: &[(&'static str, &Path)],
) -> Result<Plan, ScrubError> {
    let name = destination.name();
    let out_is_input = |out: &Identity| {
        inputs
            .iter()
            .find(|(_, input)| Identity::of(input).is(out))
            .map_or(Ok(()), |(flag, input)| {
                Err(ScrubError::OutIsInput {
                    out: destination.clone(),
                    out_flag,
                    flag,
                    input: input.to_path_buf(),
                })
            })
    };
    let path = match destination {
        Destination::Stdout => {
            let out = Identity {
                canonical: None,
                inode: stdout_inode(),
            };
            out_is_input(&out)?;
            return Ok(Plan {
                how: How::Stdout,
                name,
            });
        }
        Destination::File(path) => path,
    };
    out_is_input(&Identity::of(path))?;
    let refuse = |reason: &str| ScrubError::BadOut {
        flag: out_flag,
        path: path.clone(),
        reason: reason.to_owned(),
    };
    let how = match fs::symlink_metadata(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => How::Replace {
            target: path.clone(),
            permissions: None,
        },
        Err(error) => return Err(ScrubError::write(&name, error, true)),
        Ok(link) => {
            let (target, metadata) = if link.file_type().is_symlink() {
                let metadata = fs::metadata(path)
                    .map_err(|_| refuse("is a symbolic link to nothing: give the file itself"))?;
                // A link to a pipe (`>(...)`, `/dev/fd/N`) names no path to
                // resolve: it is written through the link, in place.
                let target = match fs::canonicalize(path) {
                    Ok(target) => target,
                    Err(_) if !metadata.is_file() => path.clone(),
                    Err(error) => return Err(ScrubError::write(&name, error, true)),
                };
                (target, metadata)
            } else {
                (path.clone(), link)
            };
            if metadata.is_dir() {
                return Err(refuse("is a directory: give a file name"));
            }
            if !metadata.is_file() {
                How::InPlace(target)
            } else if metadata.permissions().readonly() {
                return Err(refuse(
                    "is read-only: it is not replaced (make it writable, or give another file)",
                ));
            } else {
                How::Replace {
                    target,
                    permissions: Some(metadata.permissions()),
                }
            }
        }
    };
    Ok(Plan { how, name })
}

impl Plan {
    /// Opens the output: only once the inputs have been checked.
    pub(crate) fn open(&self, cleanup: &Cleanup) -> Result<Out, ScrubError> {
        let capacity = 1 << 20;
        let sink = match &self.how {
            How::Stdout => {
                cleanup.lock().in_place = true;
                Sink::Stdout(BufWriter::with_capacity(capacity, io::stdout().lock()))
            }
            How::InPlace(path) => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|error| ScrubError::write(&self.name, error, false))?;
                cleanup.lock().in_place = true;
                Sink::InPlace(BufWriter::with_capacity(capacity, file))
            }
            How::Replace {
                target,
                permissions,
            } => {
                let mut pending = cleanup.lock();
                if pending.abandoned {
                    return Err(ScrubError::Interrupted);
                }
                let (temp, file) = create_temp(target)
                    .map_err(|error| ScrubError::write(&self.name, error, true))?;
                pending.temps.push(temp.clone());
                drop(pending);
                let temp = TempFile {
                    writer: Some(BufWriter::with_capacity(capacity, file)),
                    temp,
                    target: target.clone(),
                    cleanup: cleanup.clone(),
                };
                if let Some(permissions) = permissions {
                    temp.file()
                        .set_permissions(permissions.clone())
                        .map_err(|error| ScrubError::write(&self.name, error, true))?;
                }
                Sink::Temp(temp)
            }
        };
        Ok(Out {
            sink,
            name: self.name.clone(),
        })
    }
}

/// The longest file name ext4, XFS, Btrfs, APFS and NTFS take, in bytes.
const NAME_MAX: usize = 255;

/// The longest start of `text` of at most `bytes` bytes.
fn cut_to(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Creates `.NAME.tmp-PID` beside `target` (with a counter if that exists:
/// an existing file is never opened), NAME cut when the whole would pass
/// [`NAME_MAX`].
fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::other("the path names no file"))?;
    for attempt in 0..100u32 {
        let mut suffix = format!(".tmp-{}", std::process::id());
        if attempt > 0 {
            suffix.push_str(&format!("-{attempt}"));
        }
        let mut temp_name = OsString::from(".");
        if 1 + name.len() + suffix.len() <= NAME_MAX {
            temp_name.push(name);
        } else {
            // A long name would make the temporary one too long for the
            // file system: it is cut (it only has to be beside the target).
            temp_name.push(cut_to(&name.to_string_lossy(), NAME_MAX - 1 - suffix.len()));
        }
        temp_name.push(suffix);
        let temp = dir.join(temp_name);
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other(
        "no free temporary file name beside it (remove old .*.tmp-* files)",
    ))
}

/// The open output of a scrub; [`Out::commit`] makes it final. Dropped
/// without a commit, it removes its temporary file.
#[derive(Debug)]
pub(crate) struct Out {
    sink: Sink,
    name: String,
}

#[derive(Debug)]
enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    InPlace(BufWriter<File>),
    Temp(TempFile),
}

#[derive(Debug)]
struct TempFile {
    /// `None` once renamed into place or given up.
    writer: Option<BufWriter<File>>,
    temp: PathBuf,
    target: PathBuf,
    cleanup: Cleanup,
}

impl TempFile {
    fn file(&self) -> &File {
        self.writer
            .as_ref()
            .expect("open until committed")
            .get_ref()
    }
}

impl Out {
    /// The error for a failed write to this output.
    pub(crate) fn failure(&self) -> impl Fn(io::Error) -> ScrubError + use<> {
        let (name, unchanged) = (self.name.clone(), matches!(self.sink, Sink::Temp(_)));
        move |error| ScrubError::write(&name, error, unchanged)
    }

    fn writer(&mut self) -> &mut dyn Write {
        match &mut self.sink {
            Sink::Stdout(writer) => writer,
            Sink::InPlace(writer) => writer,
            Sink::Temp(temp) => temp.writer.as_mut().expect("open until committed"),
        }
    }

    /// Commits `outs` together: each is flushed and synced first, then all
    /// are renamed into place under one hold of the cleanup's lock, so an
    /// interrupt finds either none of them renamed or all (the scrubbed list
    /// and its reports never describe two runs).
    pub(crate) fn commit_all(mut outs: Vec<Out>) -> Result<(), ScrubError> {
        for out in &mut outs {
            out.prepare()?;
        }
        let Some(cleanup) = outs.iter().find_map(|out| match &out.sink {
            Sink::Temp(temp) => Some(temp.cleanup.clone()),
            _ => None,
        }) else {
            return Ok(());
        };
        let mut pending = cleanup.lock();
        if pending.abandoned {
            return Err(ScrubError::Interrupted);
        }
        for out in &mut outs {
            if let Sink::Temp(temp) = &mut out.sink {
                let name = out.name.clone();
                fs::rename(&temp.temp, &temp.target)
                    .map_err(|error| ScrubError::write(&name, error, true))?;
                pending.temps.retain(|t| *t != temp.temp);
                pending.committed = true;
                temp.writer = None;
            }
        }
        drop(pending);
        for out in &outs {
            if let Sink::Temp(temp) = &out.sink {
                sync_dir(&temp.target);
            }
        }
        Ok(())
    }

    /// Flushes the output, and syncs a temporary file to disk.
    fn prepare(&mut self) -> Result<(), ScrubError> {
        let name = self.name.clone();
        match &mut self.sink {
            Sink::Stdout(writer) => writer
                .flush()
                .map_err(|error| ScrubError::write(&name, error, false)),
            Sink::InPlace(writer) => writer
                .flush()
                .map_err(|error| ScrubError::write(&name, error, false)),
            Sink::Temp(temp) => {
                let write_error = |error| ScrubError::write(&name, error, true);
                let writer = temp.writer.as_mut().expect("open until committed");
                writer.flush().map_err(write_error)?;
                writer.get_ref().sync_all().map_err(write_error)
            }
        }
    }

    /// Flushes the output and, for a file, syncs it to disk and renames it
    /// over the target; an error leaves the target as it was.
    pub(crate) fn commit(mut self) -> Result<(), ScrubError> {
        let name = self.name.clone();
        let write_error = |error| ScrubError::write(&name, error, true);
        match &mut self.sink {
            Sink::Stdout(writer) => writer
                .flush()
                .map_err(|error| ScrubError::write(&name, error, false)),
            Sink::InPlace(writer) => writer
                .flush()
                .map_err(|error| ScrubError::write(&name, error, false)),
            Sink::Temp(temp) => {
                let writer = temp.writer.as_mut().expect("open until committed");
                writer.flush().map_err(write_error)?;
                writer.get_ref().sync_all().map_err(write_error)?;
                let cleanup = temp.cleanup.clone();
                let mut pending = cleanup.lock();
                if pending.abandoned {
                    return Err(ScrubError::Interrupted);
                }
                fs::rename(&temp.temp, &temp.target).map_err(write_error)?;
                pending.temps.retain(|t| *t != temp.temp);
                pending.committed = true;
                drop(pending);
                temp.writer = None;
                sync_dir(&temp.target);
                Ok(())
            }
        }
    }
}

/// Makes a rename into the directory of `target` durable. Some file systems
/// refuse to sync a directory; the file is in place either way.
fn sync_dir(target: &Path) {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            // Drop the buffered rows unwritten, then the file.
            drop(writer.into_parts());
            let mut pending = self.cleanup.lock();
            pending.temps.retain(|t| *t != self.temp);
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dnc-out-test-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn an_output_whose_name_is_as_long_as_the_file_system_takes_is_written() {
        let dir = scratch("long-name");
        // 255 bytes, a multi-byte character where the temporary name is cut.
        let name = format!("{}é{}.csv", "r".repeat(200), "x".repeat(49));
        assert_eq!(name.len(), NAME_MAX);
        let target = dir.join(&name);
        let cleanup = Cleanup::default();
        let mut out = plan(&Destination::File(target.clone()), &[])
            .unwrap()
            .open(&cleanup)
            .unwrap();
        out.write_all(b"rows").unwrap();
        Out::commit_all(vec![out]).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "rows");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "a temporary file was left"
        );
        assert_eq!(cut_to("ré", 2), "r");
        assert_eq!(cut_to("ré", 3), "ré");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn outs_committed_together_are_renamed_all_or_none() {
        let dir = scratch("together");
        let (a, b) = (dir.join("a.csv"), dir.join("b.json"));
        fs::write(&a, "old a").unwrap();
        fs::write(&b, "old b").unwrap();
        let open = |path: &Path, cleanup: &Cleanup, text: &str| {
            let mut out = plan(&Destination::File(path.to_owned()), &[])
                .unwrap()
                .open(cleanup)
                .unwrap();
            out.write_all(text.as_bytes()).unwrap();
            out
        };
        // An interrupt before the commit: neither is renamed, no temporary
        // file is left.
        let cleanup = Cleanup::default();
        let outs = vec![open(&a, &cleanup, "new a"), open(&b, &cleanup, "new b")];
        // (What `abandon` returns holds the lock until dropped, as the
        // signal handler keeps it until the process exits.)
        drop(cleanup.abandon());
        assert!(matches!(
            Out::commit_all(outs),
            Err(ScrubError::Interrupted)
        ));
        assert_eq!(fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(fs::read_to_string(&b).unwrap(), "old b");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            2,
            "a temporary file was left"
        );
        // No interrupt: both are.
        let cleanup = Cleanup::default();
        let outs = vec![open(&a, &cleanup, "new a"), open(&b, &cleanup, "new b")];
        Out::commit_all(outs).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(fs::read_to_string(&b).unwrap(), "new b");
        assert!(cleanup.lock().committed);
        assert!(cleanup.lock().temps.is_empty());
    }

    #[test]
    fn an_interrupt_never_says_a_report_on_standard_output_was_written_in_full() {
        let out = Destination::File(PathBuf::from("out.csv"));
        let reports = ["standard output".to_owned(), "r.json".to_owned()];
        assert_eq!(
            Outcome::Written.message_with(&out, &reports),
            "the report on standard output may be incomplete; interrupted after out.csv was \
             written in full, with its reports (r.json)"
        );
        assert_eq!(
            Outcome::Unchanged.message_with(&out, &reports[1..]),
            "interrupted: out.csv was not written; nothing was changed; no report was written \
             (r.json)"
        );
        assert_eq!(
            Outcome::Written.message_with(&out, &[]),
            "interrupted after out.csv was written in full"
        );
    }
}
