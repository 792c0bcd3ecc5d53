import type { Rule } from 'eslint';

export declare const noModuleCycle: Rule.RuleModule;
declare const plugin: { rules: { 'no-module-cycle': Rule.RuleModule } };
export default plugin;
