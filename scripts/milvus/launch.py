"""Runs the Milvus standalone binary of the PyPI 'milvus' package as a plain long-lived server, for scripts/lib/milvus.sh.

    launch.py extract HOME
        unpacks the package's binaries and libraries (lzma) into HOME/bin, once per install.
    launch.py run --home HOME --data DIR --alias NAME --metrics-port N --etcd-client-port N --etcd-peer-port N
                  --port KEY=N ...
        writes DIR/configs/milvus.yaml (the package's own template) and DIR/configs/etcd.yaml, then execs
        HOME/bin/milvus in DIR, so the caller's pid names the server itself.

The package's milvus-server script is not used: it extracts 250 MB of binaries into every data dir, picks any free
port for the metrics port and the embedded etcd always listens on 2379/2380, so two profiles could not run side by
side. Here every port comes from the caller (KEY is a '*_port' item of the template: proxy_port, root_coord_port, ...).
"""

import argparse
import os
import sys

import milvus


def extract(home):
    # The package's own unpacker: writes HOME/bin and skips files whose checksum is unchanged.
    milvus._initialize_data_files(home)  # pylint: disable=protected-access
    exe = os.path.join(home, 'bin', 'milvus')
    if not os.access(exe, os.X_OK):
        sys.exit(f'launch.py: {exe} missing after extraction')


def port_items(values):
    ports = {}
    for item in values:
        key, sep, value = item.partition('=')
        if not sep or not key.endswith('_port') or not value.isdigit():
            sys.exit(f'launch.py: --port wants KEY_port=NUMBER, not {item!r}')
        ports[key] = int(value)
    return ports


def write_etcd_config(path, name, client_port, peer_port):
    # Without a config file the embedded etcd takes its defaults, 2379 and 2380, whatever milvus.yaml says.
    peer = f'http://127.0.0.1:{peer_port}'
    client = f'http://127.0.0.1:{client_port}'
    with open(path, 'w', encoding='utf-8') as out:
        out.write('# Written by scripts/milvus/launch.py on every start.\n'
                  f'name: {name}\n'
                  f'listen-client-urls: {client}\n'
                  f'advertise-client-urls: {client}\n'
                  f'listen-peer-urls: {peer}\n'
                  f'initial-advertise-peer-urls: {peer}\n'
                  f'initial-cluster: {name}={peer}\n'
                  'initial-cluster-state: new\n')


def run(args):
    home = os.path.abspath(args.home)
    data = os.path.abspath(args.data)
    exe = os.path.join(home, 'bin', 'milvus')
    if not os.access(exe, os.X_OK):
        sys.exit(f'launch.py: {exe} is missing: run scripts/services.sh install')
    ports = port_items(args.port)
    ports['etcd_port'] = args.etcd_client_port

    config = milvus.MilvusServerConfig(data_dir=data)
    unknown = sorted(k for k in ports if k not in config.configurable_items)
    if unknown:
        sys.exit(f'launch.py: the milvus {milvus.__version__} template has no {", ".join(unknown)}')
    missing = sorted(k for k in config.configurable_items if k.endswith('_port') and k not in ports)
    if missing:
        sys.exit(f'launch.py: no port given for {", ".join(missing)}')
    # Not config.resolve(): its trial bind (without SO_REUSEADDR) fails on a port that still has connections in
    # TIME_WAIT from the previous run, which Milvus itself binds without trouble. The caller checks the ports.
    config.resolve_storage()
    for key, port in ports.items():
        config.set(key, port)
    # One log: everything to stdout, which the caller appends to its server log.
    config.set('system_log_path', '')
    config.set('etcd_log_path', 'stdout')
    config.set('etcd_log_level', 'warn')
    # At info the log grew 15 MB in a few runs of the tests; warnings and errors are what a failed start needs.
    config.set('log.level', os.environ.get('VS_MILVUS_LOG_LEVEL', 'warn'))
    # The proxy's time tick paces STRONG reads, which wait for it: 200 ms (the default) makes every read-your-writes
    # query take about 300 ms; 50 ms about 50 ms, for 1.5 % more idle CPU.
    config.set('proxy.timeTickInterval', 50)
    # Components hold etcd leases of this many seconds. A server frozen longer (SIGSTOP, a stalled VM) finds them
    # gone when it wakes and exits; 300 s lets it survive the outage tests' one-minute freeze with its data.
    config.set('common.session.ttl', 300)
    # The components find each other at the address they advertise, by default the machine's first address:
    # keep that traffic on loopback.
    for role in ('rootCoord', 'proxy', 'queryCoord', 'queryNode', 'indexNode', 'dataCoord', 'dataNode'):
        config.set(f'{role}.ip', '127.0.0.1')
    config.write_config()
    etcd_config = os.path.join(data, 'configs', 'etcd.yaml')
    write_etcd_config(etcd_config, f'milvus-{args.alias}', args.etcd_client_port, args.etcd_peer_port)

    env = dict(os.environ)
    env.update({
        'DEPLOY_MODE': 'STANDALONE',
        'METRICS_PORT': str(args.metrics_port),
        # Milvus reads ETCD_CONFIG_PATH as etcd.config.path (its environment overrides milvus.yaml).
        'ETCD_CONFIG_PATH': etcd_config,
        'LD_LIBRARY_PATH': ':'.join(p for p in (os.path.dirname(exe), os.environ.get('LD_LIBRARY_PATH')) if p),
    })
    # Milvus finds configs/milvus.yaml relative to its working directory. --alias names its lock file
    # (/run/milvus/standalone-ALIAS.pid), which would otherwise be shared by every Milvus on the machine.
    os.chdir(data)
    sys.stdout.flush()
    os.execve(exe, [exe, 'run', 'standalone', '--alias', args.alias], env)


def main():
    parser = argparse.ArgumentParser(prog='launch.py')
    sub = parser.add_subparsers(dest='command', required=True)
    p_extract = sub.add_parser('extract')
    p_extract.add_argument('home')
    p_run = sub.add_parser('run')
    p_run.add_argument('--home', required=True)
    p_run.add_argument('--data', required=True)
    p_run.add_argument('--alias', required=True)
    p_run.add_argument('--metrics-port', type=int, required=True)
    p_run.add_argument('--etcd-client-port', type=int, required=True)
    p_run.add_argument('--etcd-peer-port', type=int, required=True)
    p_run.add_argument('--port', action='append', default=[])
    args = parser.parse_args()
    if args.command == 'extract':
        extract(args.home)
    else:
        run(args)


if __name__ == '__main__':
    main()
