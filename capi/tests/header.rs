//! The committed header is what cbindgen makes of this crate now: a change
//! of the ABI that forgets the header fails here. Rewrite it with
//! `DNC_BLESS_HEADER=1 cargo test -p dnc-capi --test header`.

use std::path::Path;

#[test]
fn the_committed_header_is_current() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen reads the crate")
        .write(&mut generated);
    let header = crate_dir.join("include/dnc_engine.h");
    let committed = std::fs::read(&header).unwrap_or_default();
    if generated == committed {
        return;
    }
    if std::env::var_os("DNC_BLESS_HEADER").is_some() {
        // Beside, then renamed: a failed write leaves the old header whole.
        let beside = header.with_extension("h.tmp");
        std::fs::write(&beside, &generated).unwrap();
        std::fs::rename(&beside, &header).unwrap();
        return;
    }
    panic!(
        "capi/include/dnc_engine.h is stale (the ABI changed): run \
         DNC_BLESS_HEADER=1 cargo test -p dnc-capi --test header and commit it"
    );
}
