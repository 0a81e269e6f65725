// A base for objects that own other disposables: whatever they register is released with them,
// once, in reverse order of registration, so a panel's listeners never outlive the panel.

import type * as vscode from 'vscode';

export function disposeAll(disposables: vscode.Disposable[]): void {
  while (disposables.length) {
    const d = disposables.pop();
    try {
      d?.dispose();
    } catch (err) {
      // One failing dispose must not keep the rest alive.
      console.error('tcpscn: dispose failed', err);
    }
  }
}

export abstract class Disposable implements vscode.Disposable {
  private _isDisposed = false;
  protected readonly _disposables: vscode.Disposable[] = [];

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }
}
