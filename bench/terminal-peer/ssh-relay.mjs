// The peers' terminal path (Coolify's and Dokploy's terminal servers): the browser's WebSocket is relayed
// by a Node process that runs `ssh` to the server in a node-pty — pty output straight to the socket as
// it comes (node-pty's default utf8 strings, text frames), socket messages straight into the pty.
// None of our code: what users compare our terminal with. Args: sshd port, client key, user.
import pty from '@lydell/node-pty';
import { WebSocketServer } from 'ws';

const [port, key, user] = process.argv.slice(2);
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
wss.on('listening', () => process.send?.({ port: wss.address().port }));
wss.on('connection', (ws) => {
  const ssh = pty.spawn(
    'ssh',
    ['-tt', '-p', port, '-i', key, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', `${user}@127.0.0.1`, 'exec bash --norc --noprofile -i'],
    { name: 'xterm-color', cols: 120, rows: 40, env: process.env },
  );
  ssh.onData((data) => ws.send(data));
  ssh.onExit(() => ws.close());
  ws.on('message', (data) => ssh.write(data.toString()));
  ws.on('close', () => ssh.kill());
});
