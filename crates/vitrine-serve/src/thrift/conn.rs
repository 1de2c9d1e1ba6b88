//! One Thrift connection: its wire told from the first bytes, every message read within the size cap and its deadline, each call answered through the shared dispatch.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Cursor, Read, Write};
use std::net::TcpStream;
use std::rc::Rc;
use std::time::{Duration, Instant};

use thrift::protocol::{
    TBinaryInputProtocol, TBinaryOutputProtocol, TCompactInputProtocol, TCompactOutputProtocol,
    TInputProtocol, TOutputProtocol,
};
use thrift::{ApplicationErrorKind, TConfiguration};

use super::detect::{Detected, Protocol, detect};
use super::service::{Answer, Incoming, Method, read_call, write_answer, write_exception};
use crate::listen::Slot;
use vitrine_api::protocol::status_of;
use vitrine_api::{Dispatch, PushResult};

/// The bounds a connection lives by: `[remote]`'s.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_message_bytes: u32,
    /// How long a whole message may take, from its first byte.
    pub read_timeout: Duration,
    /// How long the connection may wait between messages.
    pub idle_timeout: Duration,
    /// How long a new connection may take to send its first bytes.
    pub first_message_timeout: Duration,
}

/// The message bounds of the buffered transport, shared between the reader
/// the protocol owns and the loop that starts each message.
struct Budget {
    /// When the message being read must be whole; `None` while waiting for
    /// its first byte.
    deadline: Cell<Option<Instant>>,
    /// How long to wait for a message's first byte.
    wait: Cell<Duration>,
    /// Bytes of the message read so far.
    read: Cell<u64>,
    /// The message broke the size cap (rather than the peer going quiet).
    over: Cell<bool>,
    limits: Limits,
}

impl Budget {
    /// The next message starts: the wait and the byte count begin anew.
    fn next_message(&self, wait: Duration) {
        self.deadline.set(None);
        self.wait.set(wait);
        self.read.set(0);
    }
}

/// The socket as the buffered transport's protocols read it: bytes already
/// read for detection first, each read within the message's deadline and
/// size cap. The protocols read a few bytes at a time; the buffer makes that
/// one system call per packet instead of one per field.
struct Bounded {
    stream: BufReader<TcpStream>,
    prefix: Cursor<Vec<u8>>,
    budget: Rc<Budget>,
}

impl Read for Bounded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let b = &self.budget;
        let n = if (self.prefix.position() as usize) < self.prefix.get_ref().len() {
            self.prefix.read(buf)?
        } else {
            let timeout = match b.deadline.get() {
                None => b.wait.get(),
                Some(d) => d.saturating_duration_since(Instant::now()),
            };
            if timeout.is_zero() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the message took longer than remote.read_timeout",
                ));
            }
            if self.stream.buffer().is_empty() {
                self.stream.get_ref().set_read_timeout(Some(timeout))?;
                self.stream.fill_buf()?;
            }
            self.stream.read(buf)?
        };
        if n > 0 && b.deadline.get().is_none() {
            b.deadline.set(Some(Instant::now() + b.limits.read_timeout));
        }
        b.read.set(b.read.get() + n as u64);
        if b.read.get() > u64::from(b.limits.max_message_bytes) {
            b.over.set(true);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the message is larger than remote.max_message_bytes",
            ));
        }
        Ok(n)
    }
}

/// The protocols' own limits: no string or container may claim more than a
/// whole message, so a length is refused as it is read, before anything is
/// allocated for it.
fn config(limits: &Limits) -> TConfiguration {
    let max = limits.max_message_bytes as usize;
    TConfiguration::builder()
        .max_message_size(Some(max))
        .max_frame_size(Some(max))
        .max_string_size(Some(max))
        .max_container_size(Some(max))
        .build()
        .unwrap_or_default()
}

fn input<'a, R: Read + 'a>(p: Protocol, r: R, c: TConfiguration) -> Box<dyn TInputProtocol + 'a> {
    match p {
        Protocol::Binary => Box::new(TBinaryInputProtocol::with_config(r, true, c)),
        Protocol::Compact => Box::new(TCompactInputProtocol::with_config(r, c)),
    }
}

fn output<'a, W: Write + 'a>(p: Protocol, w: W) -> Box<dyn TOutputProtocol + 'a> {
    match p {
        Protocol::Binary => Box::new(TBinaryOutputProtocol::new(w, true)),
        Protocol::Compact => Box::new(TCompactOutputProtocol::new(w)),
    }
}

/// Reads exactly `buf.len()` bytes, waiting at most `wait` in all.
fn read_within(stream: &mut TcpStream, buf: &mut [u8], wait: Duration) -> std::io::Result<()> {
    let end = Instant::now() + wait;
    let mut got = 0;
    while got < buf.len() {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(&mut buf[got..])? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => got += n,
        }
    }
    Ok(())
}

/// Reads the rest of a frame of `len` bytes into `frame`, within `wait` in
/// all. The frame grows as its bytes arrive: a declared length alone
/// allocates nothing, so idle clients declaring large frames cost no memory.
fn read_frame(
    stream: &mut TcpStream,
    frame: &mut Vec<u8>,
    len: usize,
    wait: Duration,
) -> std::io::Result<()> {
    let end = Instant::now() + wait;
    let mut chunk = [0u8; 16 * 1024];
    while frame.len() < len {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        let want = chunk.len().min(len - frame.len());
        match stream.read(&mut chunk[..want])? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => frame.extend_from_slice(&chunk[..n]),
        }
    }
    Ok(())
}

/// Serves one connection until it closes, breaks a bound or goes idle.
pub fn serve(mut stream: TcpStream, peer: &str, limits: &Limits, slot: &Slot, d: &Dispatch) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.read_timeout));
    let mut first = vec![0u8; 2];
    if read_within(&mut stream, &mut first, limits.first_message_timeout).is_err() {
        return;
    }
    let mut found = detect(&first, limits.max_message_bytes);
    if found == Detected::NeedSix {
        first.resize(6, 0);
        if read_within(&mut stream, &mut first[2..], limits.read_timeout).is_err() {
            return;
        }
        found = detect(&first, limits.max_message_bytes);
    }
    let Detected::Wire(wire) = found else {
        tracing::warn!(%peer, first = ?first, "not a Thrift protocol vitrine speaks (strict binary or compact, buffered or framed); connection closed");
        return;
    };
    tracing::debug!(%peer, ?wire, "thrift connection");
    let session = Session {
        peer,
        limits,
        slot,
        d,
        protocol: wire.protocol,
        config: config(limits),
    };
    if wire.framed {
        serve_framed(stream, first, &session);
    } else {
        serve_buffered(stream, first, &session);
    }
}

/// What every message of a connection is read and answered with.
struct Session<'a> {
    peer: &'a str,
    limits: &'a Limits,
    slot: &'a Slot,
    d: &'a Dispatch,
    protocol: Protocol,
    /// The protocols' limits, built once per connection.
    config: TConfiguration,
}

/// What a call comes to.
fn answer(call: &Incoming, s: &Session) -> Option<Answer> {
    let (peer, d) = (s.peer, s.d);
    let method = call.method.clone()?;
    Some(match method {
        Method::WhatsLoaded => Answer::Text(d.read(|v| v.current_name.clone())),
        Method::CurrentUrl => Answer::Text(d.read(|v| v.current_url.clone())),
        Method::Load(Err(why)) => {
            tracing::info!(%peer, method = %call.name, %why, "thrift call refused");
            Answer::Push(PushResult::InvalidArgument)
        }
        Method::Load(Ok(load)) => Answer::Push(match d.load(load) {
            Ok(_) => PushResult::Success,
            Err(f) => status_of(f.kind),
        }),
    })
}

/// Writes the reply to one call (or the exception for an unknown method)
/// with `protocol` into `out`.
fn reply(call: &Incoming, s: &Session, out: &mut Vec<u8>) {
    let peer = s.peer;
    let mut o = output(s.protocol, &mut *out);
    let written = match &call.method {
        None => {
            tracing::info!(%peer, method = %call.name, "unknown thrift method");
            write_exception(
                &mut *o,
                &call.name,
                call.seq,
                ApplicationErrorKind::UnknownMethod,
                &format!("displaymanager has no method {:?}", call.name),
            )
        }
        Some(_) => {
            s.slot.prove();
            match answer(call, s) {
                // A one-way call's client reads no reply: one would be
                // taken for the answer to its next call.
                Some(_) if call.oneway => Ok(()),
                Some(a) => write_answer(&mut *o, call, &a),
                None => Ok(()),
            }
        }
    };
    drop(o);
    if let Err(e) = written {
        tracing::warn!(%peer, %e, "cannot encode a thrift reply");
        out.clear();
    }
}

/// The exception for a message that could not be read, for the client to
/// see before the connection closes.
fn malformed(p: Protocol, e: &thrift::Error) -> Vec<u8> {
    let mut out = Vec::new();
    let mut o = output(p, &mut out);
    let _ = write_exception(
        &mut *o,
        "",
        0,
        ApplicationErrorKind::ProtocolError,
        &e.to_string(),
    );
    drop(o);
    out
}

/// Whether a read error is the peer's silence or departure (closed quietly)
/// rather than a malformed message (answered with `PROTOCOL_ERROR`).
fn is_io(e: &thrift::Error) -> bool {
    matches!(e, thrift::Error::Transport(_))
}

fn serve_buffered(stream: TcpStream, first: Vec<u8>, s: &Session) {
    let (peer, limits) = (s.peer, s.limits);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let budget = Rc::new(Budget {
        deadline: Cell::new(None),
        wait: Cell::new(limits.first_message_timeout),
        read: Cell::new(0),
        over: Cell::new(false),
        limits: limits.clone(),
    });
    let reader = Bounded {
        stream: BufReader::new(stream),
        prefix: Cursor::new(first),
        budget: budget.clone(),
    };
    let mut i = input(s.protocol, reader, s.config.clone());
    let mut out = Vec::new();
    loop {
        let call = match read_call(&mut *i) {
            Ok(c) => c,
            Err(e) => {
                if !is_io(&e) || budget.over.get() {
                    tracing::warn!(%peer, %e, "malformed or oversized thrift message; connection closed");
                    let _ = writer.write_all(&malformed(s.protocol, &e));
                }
                return;
            }
        };
        out.clear();
        reply(&call, s, &mut out);
        if !out.is_empty() && writer.write_all(&out).is_err() {
            return;
        }
        budget.next_message(limits.idle_timeout);
    }
}

fn serve_framed(mut stream: TcpStream, first: Vec<u8>, s: &Session) {
    let (peer, limits) = (s.peer, s.limits);
    // The first frame's length and its first two bytes are already read.
    let mut head = [first[0], first[1], first[2], first[3]];
    let mut start = first[4..].to_vec();
    let mut out = Vec::new();
    loop {
        let len = u32::from_be_bytes(head);
        if len > limits.max_message_bytes || (len as usize) < start.len() {
            tracing::warn!(%peer, len, "thrift frame over remote.max_message_bytes; connection closed");
            return;
        }
        let mut frame = start;
        if read_frame(&mut stream, &mut frame, len as usize, limits.read_timeout).is_err() {
            return;
        }
        let mut i = input(s.protocol, Cursor::new(&frame[..]), s.config.clone());
        out.clear();
        out.extend_from_slice(&[0; 4]);
        match read_call(&mut *i) {
            Ok(call) => reply(&call, s, &mut out),
            Err(e) => {
                // The frame is read to its end: the connection stays in
                // step and carries on.
                tracing::warn!(%peer, %e, "malformed thrift message");
                out.extend_from_slice(&malformed(s.protocol, &e));
            }
        }
        if out.len() > 4 {
            let body = (out.len() - 4) as u32;
            out[..4].copy_from_slice(&body.to_be_bytes());
            if stream.write_all(&out).is_err() {
                return;
            }
        }
        // The next frame: its length within the idle time, then the rest.
        if read_within(&mut stream, &mut head, limits.idle_timeout).is_err() {
            return;
        }
        start = Vec::new();
    }
}
