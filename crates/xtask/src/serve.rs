//! A tiny static file server for `web/dist` (std only, a thread per connection, one
//! request per connection). For development and the browser tests, not for production:
//! it sends the headers a real deployment should send, so the tests see them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::bail;
use crate::dist::CSP;
use crate::util::{Context, Result};

/// Headers sent with every response.
fn security_headers() -> String {
    format!(
        "Content-Security-Policy: {CSP}\r\n\
         X-Content-Type-Options: nosniff\r\n\
         Referrer-Policy: no-referrer\r\n"
    )
}

pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// `name-0123456789abcdef.ext`: a content-hashed name written by `dist`.
pub fn is_hashed_name(name: &str) -> bool {
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => return false,
    };
    match stem.rsplit_once('-') {
        Some((_, hash)) => {
            hash.len() == 16
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        }
        None => false,
    }
}

fn cache_control(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if is_hashed_name(name) {
        "public, max-age=31536000, immutable"
    } else {
        // index.html, policies, embed.js: revalidate every time.
        "no-cache"
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps a request target to a path relative to the served directory, or `None` if it
/// is malformed or tries to leave the directory.
pub fn resolve_target(target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut rel = PathBuf::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => rel.push(p),
        }
    }
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    if decoded.ends_with('/') {
        rel.push("index.html");
    }
    Some(rel)
}

pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `dir` on 127.0.0.1:`port` (0: any free port) from a background thread.
    pub fn start(dir: &Path, port: u16, log: bool) -> Result<Server> {
        let dir = dir
            .canonicalize()
            .ctx(|| format!("{} does not exist; run `cargo xtask dist`", dir.display()))?;
        let listener = match TcpListener::bind(("127.0.0.1", port)) {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                bail!("port {port} on 127.0.0.1 is in use; pick another with --port N (0 = any free port)")
            }
            Err(e) => bail!("cannot listen on 127.0.0.1:{port}: {e}"),
        };
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let dir = dir.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &dir, log);
                });
            }
        });
        Ok(Server {
            addr,
            stop,
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Blocks until the server stops (it does not, unless the process is interrupted).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Types worth compressing (everything `dist` writes but images).
fn is_compressible(path: &Path) -> bool {
    let t = mime_type(path);
    t.starts_with("text/") || t.starts_with("application/")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use flate2::write::GzEncoder;
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 3), flate2::Compression::best());
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    extra: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}{}Connection: close\r\n\r\n",
        body.len(),
        security_headers()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn handle(mut stream: TcpStream, dir: &Path, log: bool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(16 * 1024));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(()); // connection opened and closed (e.g. the stop wake-up)
    }
    // Of the headers only Accept-Encoding changes the answer: text and wasm are sent gzipped
    // to clients that accept it, as a real deployment does (and as `budget` counts them).
    let mut gzip_ok = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("accept-encoding") && value.to_ascii_lowercase().contains("gzip") {
                gzip_ok = true;
            }
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let text = "text/plain; charset=utf-8";
    let (status, result) = if method != "GET" && method != "HEAD" {
        (
            "405 Method Not Allowed",
            respond(
                &mut stream,
                "405 Method Not Allowed",
                text,
                "Allow: GET, HEAD\r\n",
                b"405 Method Not Allowed\n",
                false,
            ),
        )
    } else {
        let head_only = method == "HEAD";
        match resolve_target(target) {
            None => (
                "400 Bad Request",
                respond(
                    &mut stream,
                    "400 Bad Request",
                    text,
                    "",
                    b"400 Bad Request\n",
                    head_only,
                ),
            ),
            Some(rel) => {
                let rel = if rel.as_os_str().is_empty() {
                    PathBuf::from("index.html")
                } else {
                    rel
                };
                let full = dir.join(&rel);
                // Symlinks must not lead out of the directory either.
                let inside = full
                    .canonicalize()
                    .ok()
                    .filter(|p| p.starts_with(dir) && p.is_file());
                match inside.and_then(|p| std::fs::read(p).ok()) {
                    Some(body) => {
                        let mut extra = format!("Cache-Control: {}\r\nVary: Accept-Encoding\r\n", cache_control(&rel));
                        let body = match gzip_ok && is_compressible(&rel) {
                            true => {
                                extra.push_str("Content-Encoding: gzip\r\n");
                                gzip(&body)
                            }
                            false => body,
                        };
                        (
                            "200 OK",
                            respond(
                                &mut stream,
                                "200 OK",
                                mime_type(&rel),
                                &extra,
                                &body,
                                head_only,
                            ),
                        )
                    }
                    None => (
                        "404 Not Found",
                        respond(
                            &mut stream,
                            "404 Not Found",
                            text,
                            "Cache-Control: no-cache\r\n",
                            b"404 Not Found\n",
                            head_only,
                        ),
                    ),
                }
            }
        }
    };
    if log {
        println!("    {method} {target} -> {status}");
    }
    result
}

/// `cargo xtask serve [--port N] [--no-build] [--dir DIR]`: `build` unless `--no-build`;
/// `dir` another built site to serve as it is (the browser tests serve an edited copy).
pub fn serve(port: u16, build: bool, dir: Option<PathBuf>) -> Result {
    let dir = dir.unwrap_or_else(crate::dist::dist_dir);
    if build {
        crate::setup::setup()?;
        crate::dist::dist()?;
    }
    if !dir.join("index.html").is_file() {
        bail!(
            "{} has no index.html; run `cargo xtask dist` (or drop --no-build)",
            dir.display()
        );
    }
    let server = Server::start(&dir, port, true)?;
    // The e2e harness reads this line to find the port when it starts the server itself.
    println!("\nxtask: serving {} at {}", dir.display(), server.url());
    println!("    (Ctrl-C stops it)");
    let _ = std::io::stdout().flush();
    server.wait();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_wasm_are_gzipped_images_are_not() {
        assert!(is_compressible(Path::new("app-0123456789abcdef.wasm")));
        assert!(is_compressible(Path::new("index.html")));
        assert!(is_compressible(Path::new("policies/tianjin-2023.json")));
        assert!(!is_compressible(Path::new("icon.png")));
        let data = b"yibao yibao yibao yibao yibao yibao".repeat(100);
        let packed = gzip(&data);
        assert!(packed.len() < data.len() / 10);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&packed[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn targets_resolve_inside_the_directory() {
        assert_eq!(resolve_target("/"), Some(PathBuf::from("index.html")));
        assert_eq!(resolve_target("/a/b.js?v=1"), Some(PathBuf::from("a/b.js")));
        assert_eq!(
            resolve_target("/policies/"),
            Some(PathBuf::from("policies/index.html"))
        );
        assert_eq!(
            resolve_target("/%E5%8C%BB.json"),
            Some(PathBuf::from("医.json"))
        );
        for bad in [
            "/../Cargo.toml",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a\\..\\x",
            "x",
            "/%zz",
            "/%00",
            "/%",
        ] {
            assert_eq!(resolve_target(bad), None, "{bad}");
        }
    }

    #[test]
    fn hashed_names() {
        assert!(is_hashed_name("boot-0123456789abcdef.js"));
        assert!(is_hashed_name("yibao_web_bg-0123456789abcdef.wasm"));
        assert!(!is_hashed_name("index.html"));
        assert!(!is_hashed_name("embed.js"));
        assert!(!is_hashed_name("boot-0123456789ABCDEF.js"));
        assert!(!is_hashed_name("boot-0123.js"));
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(
            mime_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            mime_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(mime_type(Path::new("p/x.json")), "application/json");
        assert_eq!(mime_type(Path::new("s.css")), "text/css; charset=utf-8");
        assert_eq!(mime_type(Path::new("i.svg")), "image/svg+xml");
        assert_eq!(mime_type(Path::new("i.png")), "image/png");
    }

    fn get(addr: SocketAddr, request: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (
            String::from_utf8(all[..split].to_vec()).unwrap(),
            all[split + 4..].to_vec(),
        )
    }

    #[test]
    fn serves_files_with_the_right_headers() {
        let dir = std::env::temp_dir().join(format!("xtask-serve-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("policies")).unwrap();
        std::fs::write(dir.join("index.html"), "<h1>hi</h1>").unwrap();
        std::fs::write(dir.join("app-0123456789abcdef.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("policies/p.json"), "{}").unwrap();
        let outside = dir.with_extension("secret");
        std::fs::write(&outside, "secret").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("link.txt")).unwrap();

        let server = Server::start(&dir, 0, false).unwrap();
        let (head, body) = get(server.addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert!(head.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(head.contains("Cache-Control: no-cache\r\n"));
        assert!(head.contains(&format!("Content-Security-Policy: {CSP}\r\n")));
        assert!(head.contains("X-Content-Type-Options: nosniff\r\n"));
        assert!(head.contains("Referrer-Policy: no-referrer\r\n"));
        assert!(head.contains("Content-Length: 11\r\n"));
        assert_eq!(body, b"<h1>hi</h1>");

        let (head, body) = get(
            server.addr,
            "GET /app-0123456789abcdef.wasm HTTP/1.1\r\n\r\n",
        );
        assert!(
            head.contains("Content-Type: application/wasm\r\n"),
            "{head}"
        );
        assert!(head.contains("Cache-Control: public, max-age=31536000, immutable\r\n"));
        assert_eq!(body, b"\0asm\x01\0\0\0");

        let (head, _) = get(server.addr, "GET /policies/p.json HTTP/1.1\r\n\r\n");
        assert!(
            head.contains("Content-Type: application/json\r\n"),
            "{head}"
        );

        let (head, body) = get(server.addr, "HEAD /index.html HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 OK"));
        assert!(body.is_empty());

        let (head, _) = get(server.addr, "GET /missing.js HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 404 Not Found"), "{head}");
        let (head, _) = get(server.addr, "GET /../Cargo.toml HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 400 Bad Request"), "{head}");
        let (head, _) = get(
            server.addr,
            "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n\r\n",
        );
        assert!(head.starts_with("HTTP/1.1 400 Bad Request"), "{head}");
        let (head, _) = get(server.addr, "GET /link.txt HTTP/1.1\r\n\r\n");
        assert!(
            head.starts_with("HTTP/1.1 404 Not Found"),
            "symlink out of the directory: {head}"
        );
        let (head, _) = get(server.addr, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 405"), "{head}");

        drop(server);
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_file(&outside);
    }
}
