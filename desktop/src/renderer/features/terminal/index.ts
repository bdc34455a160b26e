export { TerminalView, type TerminalViewProps } from './TerminalView.js';
export { TerminalTabs } from './TerminalTabs.js';
export { TerminalConnection, type ConnectionState } from './terminal-connection.js';
export { openTerminalSession } from './open-session.js';
export { RecordingPlayer } from './RecordingPlayer.js';
export { SessionHistory } from './SessionHistory.js';
