<?php
// A PHP client built from the stubs `thrift --gen php
// crates/vitrine-serve/src/thrift/displaymanager.thrift` writes, on Debian's php-thrift: it calls all
// four methods over the binary protocol, buffered or framed, and checks real
// results. Usage: php thrift_client.php GEN_PHP_DIR PORT buffered|framed PNG_URL MISSING_URL TAG

// php-thrift installs Thrift\X\Y as /usr/lib/php/X/Y.php.
spl_autoload_register(function ($class) {
    if (strncmp($class, 'Thrift\\', 7) === 0) {
        $file = '/usr/lib/php/' . str_replace('\\', '/', substr($class, 7)) . '.php';
        if (is_file($file)) {
            require_once $file;
        }
    }
});
list(, $gen, $port, $mode, $png, $missing, $tag) = $argv;
// The generated classes, one file each, in the global namespace.
spl_autoload_register(function ($class) use ($gen) {
    $file = $gen . '/' . $class . '.php';
    if (strpos($class, '\\') === false && is_file($file)) {
        require_once $file;
    }
});

use Thrift\Protocol\TBinaryProtocol;
use Thrift\Transport\TBufferedTransport;
use Thrift\Transport\TFramedTransport;
use Thrift\Transport\TSocket;

$failures = 0;
function expect($ok, $what)
{
    global $failures;
    echo ($ok ? 'ok   ' : 'FAIL ') . $what . "\n";
    if (!$ok) {
        $failures++;
    }
}

$socket = new TSocket('127.0.0.1', (int)$port);
$socket->setRecvTimeout(30000);
$transport = $mode === 'framed' ? new TFramedTransport($socket) : new TBufferedTransport($socket);
$client = new displaymanagerClient(new TBinaryProtocol($transport));
$transport->open();

$name = $tag . '-card';
expect($client->postHtml(new pushHtml(['name' => $name, 'data' => '<h1>PHP</h1>'])) === pushResult::SUCCESS, 'postHtml is SUCCESS');
expect($client->whatsLoaded() === $name, 'whatsLoaded names the posted page');
expect($client->fetchUrl(new pushUrl(['name' => $tag . '-pic', 'url' => $png])) === pushResult::SUCCESS, 'fetchUrl of a file is SUCCESS');
expect($client->currentUrl() === $png, 'currentUrl is the fetched URL');
expect($client->fetchUrl(new pushUrl(['name' => 'x', 'url' => 'file:///etc/passwd'])) === pushResult::FORBIDDEN, 'file:///etc/passwd is FORBIDDEN');
expect($client->fetchUrl(new pushUrl(['name' => 'x', 'url' => $missing])) === pushResult::NOT_FOUND, 'a missing file is NOT_FOUND');
$transport->close();
exit($failures === 0 ? 0 : 1);
