// A C++ client built from the stubs `thrift --gen cpp:pure_enums
// crates/vitrine-serve/src/thrift/displaymanager.thrift` writes, as the seed built its own: it calls
// all four methods over the binary protocol, buffered or framed, and checks
// real results. Usage: thrift_client PORT buffered|framed PNG_URL MISSING_URL TAG
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>

#include "displaymanager.h"

using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::transport::TBufferedTransport;
using apache::thrift::transport::TFramedTransport;
using apache::thrift::transport::TSocket;
using apache::thrift::transport::TTransport;
using namespace displaymanager;

static int failures = 0;

static void expect(bool ok, const std::string& what) {
  std::cout << (ok ? "ok   " : "FAIL ") << what << std::endl;
  if (!ok) failures++;
}

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: thrift_client PORT buffered|framed PNG_URL MISSING_URL TAG" << std::endl;
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const bool framed = std::string(argv[2]) == "framed";
  const std::string png = argv[3], missing = argv[4], tag = argv[5];
  auto socket = std::make_shared<TSocket>("127.0.0.1", port);
  std::shared_ptr<TTransport> transport;
  if (framed) {
    transport = std::make_shared<TFramedTransport>(socket);
  } else {
    transport = std::make_shared<TBufferedTransport>(socket);
  }
  displaymanagerClient client(std::make_shared<TBinaryProtocol>(transport));
  transport->open();

  pushHtml html;
  html.name = tag + "-card";
  html.data = "<h1>C++</h1>";
  expect(client.postHtml(html) == SUCCESS, "postHtml is SUCCESS");
  std::string name;
  client.whatsLoaded(name);
  expect(name == html.name, "whatsLoaded names the posted page");

  pushUrl url;
  url.name = tag + "-pic";
  url.url = png;
  expect(client.fetchUrl(url) == SUCCESS, "fetchUrl of a file is SUCCESS");
  std::string current;
  client.currentUrl(current);
  expect(current == png, "currentUrl is the fetched URL");

  url.url = "file:///etc/passwd";
  expect(client.fetchUrl(url) == FORBIDDEN, "file:///etc/passwd is FORBIDDEN");
  url.url = missing;
  expect(client.fetchUrl(url) == NOT_FOUND, "a missing file is NOT_FOUND");
  transport->close();
  return failures == 0 ? 0 : 1;
}
