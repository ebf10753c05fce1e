//! The fleet's hash key: a small secret file from which every process that writes or merges
//! summaries takes its hash seed, so that the hash of a delivered-only recipient means the
//! same on every host and a 2xx on host B recovers a recipient deferred on host A.
//!
//! The key file holds random bytes (64 hex digits, created mode 0600 when missing). The
//! seed is derived from it, and so is a separate fingerprint, the key id, written into
//! every `merge.jsonl`: merging files of different key ids is refused. The key stays secret
//! so that a sender cannot craft two addresses with the same hash (which would turn one
//! recipient's delivery into another's false "recovered").

use super::MergeError;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The key file's name in its folder.
pub const FILE_NAME: &str = "mailcodes.key";
/// The environment variable naming a key file.
pub const ENV: &str = "MAILCODES_HASH_KEY";

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// The key id of this process, once a key is installed.
static KEY_ID: OnceLock<String> = OnceLock::new();

/// A key read from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub path: PathBuf,
    seed: u64,
    pub id: String,
}

/// A 64-bit mix of `bytes` under the constant `c` (the multiply-fold of foldhash, written
/// out here so that seeds and ids never change with a dependency's version).
fn mix(bytes: &[u8], c: u64) -> u64 {
    let fold = |a: u64, b: u64| {
        let p = u128::from(a) * u128::from(b);
        (p as u64) ^ ((p >> 64) as u64)
    };
    let mut h = c ^ (bytes.len() as u64).wrapping_mul(K1);
    for w in bytes.chunks(8) {
        let mut b = [0u8; 8];
        b[..w.len()].copy_from_slice(w);
        h = fold(h ^ u64::from_le_bytes(b), K2);
    }
    fold(h ^ c, K1)
}

impl Key {
    /// The key in `material` (the file's content, surrounding white space ignored).
    fn from_material(path: &Path, material: &[u8]) -> Result<Key, MergeError> {
        let material = material.trim_ascii();
        if material.len() < 32 {
            return Err(MergeError::Key(format!(
                "{}: a hash key needs at least 32 characters (delete it to have a new one made)",
                path.display()
            )));
        }
        Ok(Key {
            path: path.to_path_buf(),
            seed: mix(material, 0x6d61_696c_636f_6465),
            id: format!("{:016x}", mix(material, 0x6b65_7969_6473_2121)),
        })
    }

    /// Reads the key at `path`.
    pub fn read(path: &Path) -> Result<Key, MergeError> {
        let material = std::fs::read(path).map_err(|e| {
            MergeError::Key(format!(
                "{}: cannot read the hash key: {}",
                path.display(),
                crate::error::io_words(&e)
            ))
        })?;
        Key::from_material(path, &material)
    }

    /// Reads the key at `path`, creating it (random, mode 0600) when missing.
    pub fn read_or_create(path: &Path) -> Result<Key, MergeError> {
        if !path.exists() {
            create(path).map_err(|e| {
                MergeError::Key(format!(
                    "{}: cannot create the hash key: {}",
                    path.display(),
                    crate::error::io_words(&e)
                ))
            })?;
        }
        Key::read(path)
    }

    /// Makes this key the process's hash seed: before anything was hashed.
    pub fn install(&self) -> Result<(), MergeError> {
        let fresh = crate::intern::install_seed(self.seed);
        if !fresh || KEY_ID.get_or_init(|| self.id.clone()) != &self.id {
            return Err(MergeError::Key(
                "internal: the hash seed was in use before the key was read".to_string(),
            ));
        }
        Ok(())
    }
}

/// Writes 32 random bytes as hex into a new file at `path`, readable by its owner only;
/// another process creating it at the same time wins harmlessly.
fn create(path: &Path) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut random = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut random)?;
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let mut tmp = tempfile::Builder::new()
        .prefix(".mailcodes.key.")
        .tempfile_in(dir)?;
    writeln!(tmp, "{hex}")?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.error),
    }
}

/// The key id summaries of this process are written with: the installed key's, or (for a
/// process without a key, as in library use) an id of this process alone, which merges
/// only with itself.
pub fn current_id() -> String {
    static PROCESS: OnceLock<String> = OnceLock::new();
    if let Some(id) = KEY_ID.get() {
        return id.clone();
    }
    PROCESS
        .get_or_init(|| {
            use std::hash::BuildHasher;
            let r = foldhash::fast::RandomState::default().hash_one(0x006b_6579_u64);
            format!("process-{r:016x}")
        })
        .clone()
}

/// The key file given explicitly: `--hash-key FILE`, else `$MAILCODES_HASH_KEY`.
pub fn explicit(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// The default key file of an out folder: `mailcodes.key` in its parent (the first parent
/// without `{date}` in it), shared by every folder beside it.
pub fn default_for(out_dir: &Path) -> PathBuf {
    let mut base = out_dir.parent();
    while let Some(b) = base {
        if !b.to_string_lossy().contains("{date}") {
            break;
        }
        base = b.parent();
    }
    match base {
        Some(b) if !b.as_os_str().is_empty() => b.join(FILE_NAME),
        _ => PathBuf::from(FILE_NAME),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_key_sits_beside_the_out_folders() {
        for (out, key) in [
            (
                "/var/lib/mailcodes/{date}",
                "/var/lib/mailcodes/mailcodes.key",
            ),
            ("/srv/{date}/mx1", "/srv/mailcodes.key"),
            ("reports/mx1", "reports/mailcodes.key"),
            ("out", "mailcodes.key"),
        ] {
            assert_eq!(default_for(Path::new(out)), PathBuf::from(key), "{out}");
        }
    }

    #[test]
    fn keys_are_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k/mailcodes.key");
        let a = Key::read_or_create(&path).unwrap();
        let b = Key::read_or_create(&path).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.seed, 0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "short").unwrap();
        assert!(Key::read(&path).unwrap_err().to_string().contains("32"));
        let other = dir.path().join("other.key");
        std::fs::write(&other, "x".repeat(40)).unwrap();
        assert_ne!(Key::read(&other).unwrap().id, a.id);
    }
}
