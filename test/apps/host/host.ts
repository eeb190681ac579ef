/**
 * A small MCP Apps host for the browser tests: a real MCP Client (its messages relayed to the
 * server's stdio by the test, see ../relay.ts) and ext-apps' own host side, AppBridge, rendering
 * a view in a sandboxed iframe. What it gives "the model" is filtered with ext-apps'
 * isToolVisibilityAppOnly, as a host must.
 */
import { Client, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { AppBridge, PostMessageTransport, RESOURCE_MIME_TYPE, getToolUiResourceUri, isToolVisibilityAppOnly } from '@modelcontextprotocol/ext-apps/app-bridge';

declare global {
  interface Window {
    /** Exposed by the test: one JSON-RPC message to the server's stdin. */
    __toServer(line: string): Promise<void>;
    /** Called by the test with each line of the server's stdout. */
    __fromServer?(line: string): void;
    host: Host;
  }
}

class RelayTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  async start(): Promise<void> {
    window.__fromServer = (line) => this.onmessage?.(JSON.parse(line) as JSONRPCMessage);
  }
  async send(message: JSONRPCMessage): Promise<void> {
    await window.__toServer(JSON.stringify(message));
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
}

type Tool = Awaited<ReturnType<Client['listTools']>>['tools'][number];
type CallResult = Awaited<ReturnType<Client['callTool']>>;

class Host {
  client = new Client({ name: 'ext-apps-test-host', version: '1' }, { capabilities: { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: [RESOURCE_MIME_TYPE] } } } });
  /** Every tools/call the view made through the bridge, with its result. */
  appCalls: Array<{ name: string; arguments: unknown; result: unknown }> = [];
  private bridge: AppBridge | undefined;

  async connect(): Promise<void> {
    await this.client.connect(new RelayTransport());
  }

  async allTools(): Promise<Tool[]> {
    return (await this.client.listTools()).tools;
  }

  /** The tools as this host gives them to the model: app-only tools are left out. */
  async modelTools(): Promise<string[]> {
    return (await this.allTools()).filter((t) => !isToolVisibilityAppOnly(t)).map((t) => t.name);
  }

  async call(name: string, args: Record<string, unknown>): Promise<CallResult> {
    return this.client.callTool({ name, arguments: args });
  }

  /** Calls a tool as the model would, then renders its view with the result, as a host does. */
  async run(name: string, args: Record<string, unknown>): Promise<CallResult> {
    const tool = (await this.allTools()).find((t) => t.name === name);
    const uri = tool && getToolUiResourceUri(tool);
    if (!tool || !uri) throw new Error(`${name} declares no view`);
    const result = await this.call(name, args);
    const read = await this.client.readResource({ uri });
    const content = read.contents[0] as { mimeType?: string; text?: string } | undefined;
    if (content?.mimeType !== RESOURCE_MIME_TYPE || typeof content.text !== 'string') throw new Error(`${uri} is not an MCP App page`);
    await this.show(content.text, tool, args, result);
    return result;
  }

  private async show(html: string, tool: Tool, args: Record<string, unknown>, result: CallResult): Promise<void> {
    await this.bridge?.close();
    document.getElementById('view')?.remove();
    const iframe = document.createElement('iframe');
    iframe.id = 'view';
    // An opaque origin: the view can reach nothing of this page but postMessage.
    iframe.setAttribute('sandbox', 'allow-scripts');
    iframe.style.cssText = 'width: 900px; height: 200px; border: 1px solid #d0d7de; display: block';
    document.body.append(iframe);
    const bridge = new AppBridge(this.client, { name: 'ext-apps-test-host', version: '1' }, { serverTools: {}, logging: {} }, { hostContext: { toolInfo: { tool } } });
    this.bridge = bridge;
    const ready = new Promise<void>((resolve) => (bridge.oninitialized = () => resolve()));
    bridge.onsizechange = ({ height }) => {
      if (height) iframe.style.height = `${height + 4}px`;
    };
    await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
    // connect() set up the forwarding of the view's calls to the server; note them on the way.
    const forward = bridge.oncalltool!;
    bridge.oncalltool = async (params, extra) => {
      const res = await forward(params, extra);
      this.appCalls.push({ name: params.name, arguments: params.arguments, result: res });
      return res;
    };
    iframe.srcdoc = html;
    await ready;
    await bridge.sendToolInput({ arguments: args });
    await bridge.sendToolResult(result as Parameters<AppBridge['sendToolResult']>[0]);
  }
}

window.host = new Host();
