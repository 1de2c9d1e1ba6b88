//! A Thrift client for tests, as a generated `displaymanager` stub would talk (Apache Thrift's Rust protocols on every wire), and the raw call header hostile tests build on.

use std::net::TcpStream;
use std::time::Duration;

use thrift::protocol::{
    TBinaryInputProtocol, TBinaryOutputProtocol, TCompactInputProtocol, TCompactOutputProtocol,
    TFieldIdentifier, TInputProtocol, TMessageIdentifier, TMessageType, TOutputProtocol,
    TStructIdentifier, TType,
};
use thrift::transport::{TFramedReadTransport, TFramedWriteTransport};

/// A client of one wire, as a generated stub would talk.
pub struct Client {
    i: Box<dyn TInputProtocol>,
    o: Box<dyn TOutputProtocol>,
    seq: i32,
}

#[derive(Clone, Copy, Debug)]
pub enum Wire {
    BinaryBuffered,
    BinaryFramed,
    CompactBuffered,
    CompactFramed,
}

pub const WIRES: [Wire; 4] = [
    Wire::BinaryBuffered,
    Wire::BinaryFramed,
    Wire::CompactBuffered,
    Wire::CompactFramed,
];

/// An argument value, as the IDL's structs hold them.
pub enum Arg<'a> {
    Str(i16, &'a str),
    I32(i16, i32),
}

/// What a call answered.
#[derive(Debug, PartialEq)]
pub enum Reply {
    Push(i32),
    Text(String),
}

// The IDL's pushResult values.
pub const SUCCESS: i32 = 0;
pub const NOT_FOUND: i32 = 2;
pub const FORBIDDEN: i32 = 5;

impl Client {
    pub fn connect(port: u16, wire: Wire) -> Client {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        // As Thrift's own TSocket does: the framed transport writes the
        // length and the frame apart, and Nagle would hold the frame for the
        // server's delayed ack (40 ms a call).
        s.set_nodelay(true).unwrap();
        let r = s.try_clone().unwrap();
        let (i, o): (Box<dyn TInputProtocol>, Box<dyn TOutputProtocol>) = match wire {
            Wire::BinaryBuffered => (
                Box::new(TBinaryInputProtocol::new(r, true)),
                Box::new(TBinaryOutputProtocol::new(s, true)),
            ),
            Wire::BinaryFramed => (
                Box::new(TBinaryInputProtocol::new(
                    TFramedReadTransport::new(r),
                    true,
                )),
                Box::new(TBinaryOutputProtocol::new(
                    TFramedWriteTransport::new(s),
                    true,
                )),
            ),
            Wire::CompactBuffered => (
                Box::new(TCompactInputProtocol::new(r)),
                Box::new(TCompactOutputProtocol::new(s)),
            ),
            Wire::CompactFramed => (
                Box::new(TCompactInputProtocol::new(TFramedReadTransport::new(r))),
                Box::new(TCompactOutputProtocol::new(TFramedWriteTransport::new(s))),
            ),
        };
        Client { i, o, seq: 0 }
    }

    /// Sends `method` with its one struct argument (none when `args` is
    /// `None`), and reads field 0 of the result, or the exception.
    pub fn call(&mut self, method: &str, args: Option<&[Arg]>) -> Result<Reply, String> {
        self.seq += 1;
        let o = &mut self.o;
        o.write_message_begin(&TMessageIdentifier::new(
            method,
            TMessageType::Call,
            self.seq,
        ))
        .unwrap();
        o.write_struct_begin(&TStructIdentifier::new("args"))
            .unwrap();
        if let Some(fields) = args {
            o.write_field_begin(&TFieldIdentifier::new("arg", TType::Struct, 1))
                .unwrap();
            o.write_struct_begin(&TStructIdentifier::new("arg"))
                .unwrap();
            for f in fields {
                match f {
                    Arg::Str(id, s) => {
                        o.write_field_begin(&TFieldIdentifier::new("s", TType::String, *id))
                            .unwrap();
                        o.write_string(s).unwrap();
                    }
                    Arg::I32(id, v) => {
                        o.write_field_begin(&TFieldIdentifier::new("n", TType::I32, *id))
                            .unwrap();
                        o.write_i32(*v).unwrap();
                    }
                }
                o.write_field_end().unwrap();
            }
            o.write_field_stop().unwrap();
            o.write_struct_end().unwrap();
            o.write_field_end().unwrap();
        }
        o.write_field_stop().unwrap();
        o.write_struct_end().unwrap();
        o.write_message_end().unwrap();
        o.flush().unwrap();
        let i = &mut self.i;
        let m = i.read_message_begin().map_err(|e| e.to_string())?;
        assert_eq!(m.sequence_number, self.seq, "the reply answers this call");
        if m.message_type == TMessageType::Exception {
            let e = thrift::Error::read_application_error_from_in_protocol(&mut **i)
                .map_err(|e| e.to_string())?;
            i.read_message_end().unwrap();
            return Err(format!("{:?}: {}", e.kind, e.message));
        }
        i.read_struct_begin().unwrap();
        let mut reply = None;
        loop {
            let f = i.read_field_begin().unwrap();
            match (f.field_type, f.id) {
                (TType::Stop, _) => break,
                (TType::I32, Some(0)) => reply = Some(Reply::Push(i.read_i32().unwrap())),
                (TType::String, Some(0)) => reply = Some(Reply::Text(i.read_string().unwrap())),
                (t, _) => i.skip(t).unwrap(),
            }
            i.read_field_end().unwrap();
        }
        i.read_struct_end().unwrap();
        i.read_message_end().unwrap();
        reply.ok_or_else(|| "no result".to_string())
    }

    pub fn text(&mut self, method: &str) -> String {
        match self.call(method, None) {
            Ok(Reply::Text(s)) => s,
            other => panic!("{method}: {other:?}"),
        }
    }

    pub fn push(&mut self, method: &str, args: &[Arg]) -> i32 {
        match self.call(method, Some(args)) {
            Ok(Reply::Push(p)) => p,
            other => panic!("{method}: {other:?}"),
        }
    }
}

/// A strict binary call header for `method`, then its args struct opening
/// with field 1 of type `ty`.
pub fn header(method: &str, ty: u8) -> Vec<u8> {
    let mut b = vec![0x80, 0x01, 0x00, 0x01];
    b.extend_from_slice(&(method.len() as u32).to_be_bytes());
    b.extend_from_slice(method.as_bytes());
    b.extend_from_slice(&1u32.to_be_bytes());
    // args struct: field 1 (pushUrl), a struct; in it field 1 of `ty`.
    b.extend_from_slice(&[12, 0, 1, ty, 0, 1]);
    b
}
