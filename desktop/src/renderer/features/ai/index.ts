export { ChatPanel } from './ChatPanel.js';
export { AiOffNotice } from './AiOffNotice.js';
export { isAiOff } from './ai-queries.js';
export { AnalysisPanel, analysisKey } from './AnalysisPanel.js';
export { DockerfileAssistant, DETECTION_FAILED } from './DockerfileAssistant.js';
export { AiSettingsCard } from './AiSettingsCard.js';
export { BuildCheck, buildDetectionKey } from './BuildCheck.js';
