// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's accelerated compositing costs ~80 MiB in the web process and is a known
    // source of blank windows on Linux GPUs; a business console needs neither. Set the
    // variables to 0 to turn them back on.
    // The DMA-BUF renderer loads the GL stack (llvmpipe's LLVM where there is no GPU, ~6 MiB)
    // into the app process and is the other known cause of blank windows.
    #[cfg(target_os = "linux")]
    for var in [
        "WEBKIT_DISABLE_COMPOSITING_MODE",
        "WEBKIT_DISABLE_DMABUF_RENDERER",
    ] {
        if std::env::var_os(var).is_none() {
            // Before any thread exists, so no other code reads the environment concurrently.
            std::env::set_var(var, "1");
        }
    }
    reseller_console_lib::run();
}
