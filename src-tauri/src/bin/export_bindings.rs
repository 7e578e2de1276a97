//! Writes ui/src/lib/bindings.ts from the command list.

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(reseller_console_lib::bindings::BINDINGS_PATH);
    match reseller_console_lib::bindings::typescript() {
        Ok(ts) => {
            if let Err(e) = std::fs::write(&path, ts) {
                eprintln!("cannot write {}: {e}", path.display());
                std::process::exit(1);
            }
            println!("wrote {}", path.display());
        }
        Err(e) => {
            eprintln!("cannot generate bindings: {e}");
            std::process::exit(1);
        }
    }
}
